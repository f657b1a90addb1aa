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
  # pip's own output goes to a log file: the person at the terminal is told what is
  # happening and how long it takes, and sees pip's words only when something failed.
  mkdir -p "$ROOT/var"
  log="$ROOT/var/install.log"
  if [ -x "$VENV/bin/python" ]; then
    echo "正在更新运行环境（依赖有变化），请稍候……" >&2
  else
    echo "首次运行：正在安装运行环境（新机器上约需两分钟），请稍候……" >&2
  fi
  : >"$log"
  target="$ROOT"
  [ "$1" = dev ] && target="$ROOT[dev]"
  if ! { { [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"; } &&
    { "$VENV/bin/python" -m pip install --upgrade pip || true; } &&
    "$VENV/bin/python" -m pip install -e "$target"; } >>"$log" 2>&1; then
    echo "安装失败。pip 的输出（完整记录见 $log）：" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
  rm -f "$VENV"/.installed-*
  touch "$stamp"
  echo "安装完成。" >&2
fi
export PATH="$VENV/bin:$PATH"
