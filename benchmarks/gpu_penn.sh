#!/usr/bin/env bash
# Issue 8's GPU work in one call of a 16-core GPU machine (15 minutes of device time in all), every job resumable:
#  1. the BiConvLSTM-sum/-concat Penn benchmark runs (figures/penn_models.csv): 3 setups x 3 seeds each, all at once;
#  2. the thesis profile's data and training (all Penn windows, batch 16, lr 1e-3, widths 128) for Conv3d and
#     DeciWatch at setups 1.1 and 2.1, seed 0, as written (SPEC §5) and with the workbook's model options,
#     its epochs capped by $THESIS_EPOCHS (SPEC: up to 50; a full run does not fit the device budget).
# Each job stops at $DEADLINE seconds; what finished is packed into $OUT (at most 8 files come back from a
# device call), run folders without last.pt (BiConvLSTM best.pt kept; thesis runs without checkpoints).
#
#   OUT=runs/gpu_out bash benchmarks/gpu_penn.sh   # DEADLINE=500 THESIS_EPOCHS=5 by default; python3 with CUDA torch; CLIMB_PENN_LABELS set
# The device machine has torch but not fastcore, and ../shared does not travel: the call carried one ignored folder
# holding fastcore's package (PYTHONPATH), the Penn labels (CLIMB_PENN_LABELS; a transfer copy, deleted after, never
# committed) and the cached baselines_*.json of both runs folders (copied to runs/ there first, so no job recomputes them).
# then here, after unpacking the .tgz files in the repo root (run folders resume and are read back):
#   .venv/bin/python benchmarks/bench_penn_models.py --models "biconvlstm_sum biconvlstm_concat" --runs_dir runs/penn_v6 --only_finished --update
#   .venv/bin/python benchmarks/bench_penn_models.py --models conv3d --variants "workbook as_written" --setups "1.1 2.1" --seeds 0 \
#       --runs_dir runs/thesis_gpu --only_finished --out figures/thesis_gpu --overrides "$(thesis_overrides '{}')"   # (the function below)
#   .venv/bin/python benchmarks/thesis_curves.py                    # figures/thesis_gpu_curves.csv/.png, finished or not
# Measured (H100 machine, 2026-11-27, DEADLINE=500, THESIS_EPOCHS=5): the 16 BiConvLSTM runs ran at once and all
# finished within 310 s (~200 s of training each); the thesis epochs took 190-240 s while they ran and 76-150 s after
# (GPU ~98 % busy with the six thesis runs), so only Conv3d (workbook) finished its 5 epochs, in a second call.
set -u
PY=${PY:-python3}
DEADLINE=${DEADLINE:-500}
THESIS_EPOCHS=${THESIS_EPOCHS:-5}
OUT=${OUT:-runs/gpu_out}
PENN=${PENN_RUNS:-runs/penn_v6}
THESIS=${THESIS_RUNS:-runs/thesis_gpu}
mkdir -p "$OUT" "$PENN" "$THESIS"
bench() { timeout "$DEADLINE" "$PY" benchmarks/bench_penn_models.py "$@"; }
# the thesis profile's training fields (experiments.PROFILES), its epochs capped; its crops, noise draw and folder are
# left to each variant (as_written: SPEC's; workbook: the workbook's) and to --runs_dir
thesis_overrides() {   # thesis_overrides <model_kwargs JSON>
    "$PY" -c "import json, sys; from climb_smoothing.experiments import PROFILES
kw = {k: v for k, v in PROFILES['thesis'].pretrain.items() if k not in ('data', 'window_box', 'noise_draw', 'out_dir')}
print(json.dumps({**kw, 'epochs': $THESIS_EPOCHS, 'num_workers': 1, 'model_kwargs': json.loads(sys.argv[1])}))" "$1"
}
thesis() {   # thesis() <models> <variant> <model_kwargs JSON> <name>
    bench --models "$1" --variants "$2" --setups "1.1 2.1" --seeds 0 --jobs 2 --runs_dir "$THESIS" --out "$THESIS/$4" \
        --overrides "$(thesis_overrides "$3")" >"$OUT/thesis_$4.log" 2>&1
}
t0=$(date +%s)
bench --models "biconvlstm_sum biconvlstm_concat" --jobs 16 --runs_dir "$PENN" --out "$PENN/biconvlstm" >"$OUT/biconvlstm.log" 2>&1 &
thesis conv3d "workbook as_written" '{}' conv3d &
thesis deciwatch workbook '{"temporal_mode": "reflect"}' deciwatch &   # the workbook's DeciWatch start: scipy's kernel, tuned σ
thesis deciwatch as_written '{}' deciwatch_as_written &
wait
echo "all jobs ended after $(( $(date +%s) - t0 )) s"
pack() { tar czf "$OUT/$1.tgz" --exclude=last.pt "${@:2}" 2>/dev/null; }
pack bl_sum "$PENN"/biconvlstm_sum_*
pack bl_concat "$PENN"/biconvlstm_concat_*
pack thesis --exclude='*.pt' "$THESIS"
pack logs "$PENN"/logs "$PENN"/biconvlstm.csv "$THESIS"/*.csv
ls -la "$OUT"
grep -h "PCK@0.1\|failed\|Error" "$OUT"/*.log | tail -40
