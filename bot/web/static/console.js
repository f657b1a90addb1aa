// Enhancements only: every page works without this file.
(function () {
  "use strict";
  // A login link's page: send its form at once (a chat app's preview runs no script).
  var auto = document.querySelector("form[data-autosubmit]");
  if (auto) { auto.submit(); }
  // Ask before an action that cannot be undone.
  document.querySelectorAll("button[data-confirm]").forEach(function (b) {
    b.addEventListener("click", function (e) {
      if (!window.confirm(b.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });
  // Audience picker: show only the choices of the selected kind.
  var radios = document.querySelectorAll("input[name=audience]");
  function showPick() {
    var chosen = document.querySelector("input[name=audience]:checked");
    document.querySelectorAll(".pick").forEach(function (p) {
      p.hidden = !chosen || p.getAttribute("data-for") !== chosen.value;
    });
  }
  radios.forEach(function (r) { r.addEventListener("change", showPick); });
  if (radios.length) { showPick(); }
  // Member picker: names from the roster as they are typed (the last name after 、 or ,).
  var picker = document.querySelector("[data-member-search]");
  var names = document.getElementById("member-names");
  if (picker && names) {
    picker.addEventListener("input", function () {
      var parts = picker.value.split(/[、,，\s]+/);
      var last = parts[parts.length - 1];
      if (!last) { return; }
      fetch("/members/names?q=" + encodeURIComponent(last), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (found) {
          names.innerHTML = "";
          found.forEach(function (m) {
            var o = document.createElement("option");
            parts[parts.length - 1] = m.name;
            o.value = parts.join("、");
            o.label = m.name + "（" + m.sector + "）";
            names.appendChild(o);
          });
        }).catch(function () {});
    });
  }
  // Live progress of a notice going out.
  var progress = document.querySelector("[data-progress]");
  if (progress) {
    var url = progress.getAttribute("data-progress");
    var template = progress.textContent;
    var timer = setInterval(function () {
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (p) {
        progress.textContent = template.replace(/\d+/g, "#").replace("#", p.sent).replace("#", p.total).replace("#", p.failed).replace("#", p.pending);
        if (p.pending === 0) { clearInterval(timer); }
      }).catch(function () { clearInterval(timer); });
    }, 2000);
  }
})();
