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
