#!/usr/bin/env bash
# The README's test command: set up .venv if needed, then run every notebook's tests, the
# export-in-sync check and the clean-notebook check through pytest (2 workers).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# two pytest workers on two cores: one torch/BLAS thread each avoids oversubscription
export MPLBACKEND=Agg PYTHONHASHSEED=0 OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
exec .venv/bin/python -m pytest tests -n "${TEST_WORKERS:-2}" -q -p no:cacheprovider "$@"
