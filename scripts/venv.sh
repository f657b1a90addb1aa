# Sourced by ./run and ./test: create or refresh the project's virtual environment.
# The environment is rebuilt when pyproject.toml changes (hash stamp), so a pull that
# changes dependencies never runs against stale packages.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "committee-bot 需要 Python 3.11 或更新版本 (found: $("$PY" --version 2>&1))" >&2
  exit 1
fi
stamp="$VENV/.installed-$(cat "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)-$1"
if [ ! -f "$stamp" ]; then
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
  if [ "$1" = dev ]; then
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]"
  else
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT"
  fi
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi
export PATH="$VENV/bin:$PATH"
