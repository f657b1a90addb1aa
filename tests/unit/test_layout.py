"""The house's layout, checked from the source (nothing is imported):

* no import circle between modules of bot/, handlers/ and storage/, counting every import
  (``TYPE_CHECKING`` blocks and imports inside functions included);
* a handler module stays under 400 lines;
* rule modules (bot/domain/, and the modules of a capability package that do not touch
  storage) import neither the ORM nor a platform library, and no platform library is
  imported outside bot/channels/;
* every package's ``__init__.py`` has a docstring.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "storage")
CAPABILITIES = ("roster", "kb", "notices", "reading", "proposals")
ORM = frozenset({"sqlmodel", "sqlalchemy", "alembic"})
PLATFORMS = frozenset({"telegram", "aiogram", "aibot", "wechatpy", "fastapi", "starlette", "flask"})
HANDLER_MAX_LINES = 400
# Handler modules still being split (issue 12); empty once every one is under the limit.
HANDLER_EXCEPTIONS: frozenset[str] = frozenset()


def _sources() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue  # alembic scripts, loaded by path, not imported
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


MODULES: dict[str, Path] = dict(_sources())


def _imported(name: str, path: Path) -> Iterator[str]:
    """Every module name ``name`` imports, wherever the import statement sits."""
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                drop = node.level - 1 if is_package else node.level
                anchor = anchor[: len(anchor) - drop] if drop else anchor
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # ``from pkg import mod`` is an import of mod (the package runs first for
                # any submodule, which is not counted); ``from mod import name`` of mod.
                submodule = f"{base}.{alias.name}"
                yield submodule if submodule in MODULES else base


def _edges(name: str, path: Path) -> set[str]:
    """The modules of ours that ``name`` imports (``from pkg import mod`` counts as mod)."""
    found: set[str] = set()
    for target in _imported(name, path):
        while target and target not in MODULES:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _top(name: str) -> str:
    return name.split(".")[0]


def test_the_cycle_finder_finds_a_circle_through_a_typing_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles() -> None:
    graph = {name: _edges(name, path) for name, path in MODULES.items()}
    circles = _cycles(graph)
    assert not circles, "import circles (typing and function-level imports count):\n" + "\n".join(
        " ↔ ".join(circle) for circle in circles
    )


def test_handler_modules_stay_small() -> None:
    too_long = {}
    for name, path in MODULES.items():
        if _top(name) == "handlers" and name not in HANDLER_EXCEPTIONS:
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines >= HANDLER_MAX_LINES:
                too_long[name] = lines
    assert not too_long, f"handler modules of {HANDLER_MAX_LINES}+ lines: {too_long}"


def _is_rule_module(name: str, imports: set[str]) -> bool:
    parts = name.split(".")
    if parts[:2] == ["bot", "domain"]:
        return True
    in_capability = len(parts) >= 3 and parts[0] == "bot" and parts[1] in CAPABILITIES
    return in_capability and not any(_top(target) == "storage" for target in imports)


def test_rules_import_neither_the_orm_nor_a_platform_library() -> None:
    offences = []
    for name, path in MODULES.items():
        imports = set(_imported(name, path))
        tops = {_top(target) for target in imports}
        if name.startswith("bot.channels"):
            continue
        if platform := tops & PLATFORMS:
            offences.append(f"{name} imports platform library {sorted(platform)}")
        if _is_rule_module(name, imports) and (orm := tops & ORM):
            offences.append(f"{name} (rules) imports the ORM {sorted(orm)}")
        if name.startswith("bot.domain") and "storage" in tops:
            offences.append(f"{name} (shared rules) imports storage")
    assert not offences, "\n".join(offences)


def test_every_package_says_what_lives_there() -> None:
    missing = []
    for package in PACKAGES:
        for directory in sorted(p for p in (ROOT / package).rglob("*") if p.is_dir()):
            if "__pycache__" in directory.parts or "migrations" in directory.parts:
                continue
            if not any(directory.glob("*.py")):
                continue
            init = directory / "__init__.py"
            if not init.exists():
                missing.append(f"{init.relative_to(ROOT)} (missing)")
            elif ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) is None:
                missing.append(f"{init.relative_to(ROOT)} (no docstring)")
    root_inits = [ROOT / package / "__init__.py" for package in PACKAGES]
    for init in root_inits:
        if ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) is None:
            missing.append(f"{init.relative_to(ROOT)} (no docstring)")
    assert not missing, "packages without a docstring: " + ", ".join(sorted(set(missing)))
