#!/usr/bin/env bash
# The README's main command: set up .venv if needed, then run the main job on the embedded default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export MPLBACKEND=Agg
exec .venv/bin/climb_main "$@"
