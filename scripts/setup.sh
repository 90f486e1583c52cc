#!/usr/bin/env bash
# Creates .venv (once) and installs torch first, then the package with its dev extras in ONE
# pip call (nbdev 2.4.14 needs fastcore<2 and execnb<0.2 resolved together, see SETUP_NOTES).
# Re-running is cheap: it reinstalls only when requirements-torch.txt, settings.ini or setup.py change.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.climb_smoothing_installed
want=$(cat requirements-torch.txt settings.ini setup.py | sha1sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing into .venv (torch first, then climb_smoothing[dev]) ..."
  if [ -n "${TORCH_SPEC:-}" ]; then .venv/bin/pip install -q "$TORCH_SPEC"
  else .venv/bin/pip install -q -r requirements-torch.txt; fi
  .venv/bin/pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi
# The browser test (tests/test_viewer_browser.py) drives Debian's chromium through Playwright (which never
# downloads a browser of its own here). Install it when it is missing: as root, quietly, bounded in time.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium for the browser test ..."
    log=$(mktemp)
    if ! { timeout 600 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq chromium; } >"$log" 2>&1; then
      echo "setup: apt-get install chromium failed, the browser test will fail:"; tail -5 "$log"
    fi
    rm -f "$log"
  else
    echo "setup: chromium is missing (the browser test will fail); as root: apt-get install chromium"
  fi
fi
