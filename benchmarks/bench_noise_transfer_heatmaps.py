"""Does simulated noise transfer to a real estimator? (issue 10, item 4) — the heatmap half.

The best heatmap model on Penn Action (Conv3d: the highest PCK@0.1 of the heatmap models in figures/penn_models_previous.csv,
0.478 ± 0.027 at setup 1.1 against BiConvLSTM-sum's 0.352) is pretrained on Penn Action with the workbook's Penn budget
(`experiments.penn_config`, variant 'workbook': the same runs as that table) under two noises:

  1.1   the thesis's uniform per-frame shift (k = 1, σ_in setup 1), white in time
  e.1   the estimator-like setup: the calibrated estimator-error model of 02_synthetic, σ_in setup 1

3 seeds each. Every pretrained model is then scored without finetuning on the Human3.6M S8 test actions: input
heatmaps rendered from the real Stacked-Hourglass detections in boxes built from the detections
(`runs.run_datasets` with data='h36m_sh'), the sequence protocol of SPEC §7 in the 56-px crop, on one fixed set of
whole test sequences (`runs.test_subset`, seed 0, --eval_windows windows) for every model, beside the
detections decoded from the same input heatmaps (`input`).

Runs land in --runs_dir (finished runs are read back; an interrupted run resumes). Writes <out>.csv (one row
per pretraining noise: mean ± sd over seeds, like figures/results.csv) and <out>.png.

    .venv/bin/python benchmarks/bench_noise_transfer_heatmaps.py      # ~90 min on 2 cores (the 6 pretraining runs)
"""
import json, time
from pathlib import Path

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import numpy as np, pandas as pd
from fastcore.script import call_parse

from climb_smoothing.data import atomic_write, repo_root
from climb_smoothing.runs import RunConfig, run_datasets, test_subset, run_status, write_json_atomic
from climb_smoothing.experiments import penn_config
from climb_smoothing.heatmaps import parse_setup
from climb_smoothing.inference import load_run, evaluate_sequences
from climb_smoothing.train import train_run
from climb_smoothing.metrics import METRICS
from climb_smoothing.coords import summary_table

NOISE_NAMES = {'1': 'uniform shift', '2': 'uniform shift × 2', 'e': 'calibrated errors'}   # by the setup's k


def h36m_test(setup: str, eval_windows: int):
    "The fixed S8 test windows at `setup`'s frame step, heatmaps (σ_in = 1) rendered from the detections (seed 0 picks the sequences)."
    cfg = RunConfig(data='h36m_sh', setup=setup, seed=0, max_eval_windows=eval_windows)
    return test_subset(run_datasets(cfg)['test'], cfg)


def transfer_metrics(run_dir: Path, test, eval_windows: int) -> dict:
    "A finished run's metrics on the real test windows, cached in the run folder (h36m_sh_test_<windows>.json)."
    cache = Path(run_dir) / f'h36m_sh_test_{eval_windows}.json'
    if cache.exists(): return json.loads(cache.read_text())
    if run_status(run_dir) != 'finished': raise RuntimeError(f'{run_dir}: the pretraining run has not finished')
    _, net = load_run(run_dir)
    r = {k: evaluate_sequences(net, test)[k] for k in METRICS}
    write_json_atomic(cache, r)
    return r


def plot(tab: pd.DataFrame, model: str, path: Path):
    "PCK@0.1 and acceleration error on the real detections per pretraining noise, mean ± sd over seeds."
    fig, axes = plt.subplots(1, 2, figsize=(10, 4)); x = np.arange(len(tab))
    labels = [f"pretrained on {m.removeprefix('pretrained_')}\n({NOISE_NAMES[m.removeprefix('pretrained_')[0]]})"
              if not m.startswith('input') else 'detections\n(input heatmaps)' for m in tab.method]
    colors = ['0.5' if m.startswith('input') else ('tab:orange' if m.startswith('pretrained_e') else 'tab:purple') for m in tab.method]
    for ax, k, t in ((axes[0], 'pck@0.1', 'PCK@0.1 (sequence protocol, 56-px crop)'), (axes[1], 'accel_error', 'acceleration error')):
        ax.bar(x, tab[f'{k}_mean'], 0.6, yerr=tab[f'{k}_std'].fillna(0), color=colors); ax.set_title(t)
        ax.set_xticks(x, labels, fontsize=8)
    fig.suptitle(f'{model} pretrained on Penn Action, scored on real Stacked-Hourglass detections (H3.6M S8 test), no finetuning')
    fig.tight_layout(); atomic_write(path, lambda f: fig.savefig(f, format='png', dpi=90)); plt.close(fig)


@call_parse
def main(model: str = 'conv3d',                 # the heatmap model
         setups: str = '1.1 e.1',               # pretraining noises (uniform, estimator-like)
         seeds: str = '0 1 2',                  # seeds of the pretraining runs
         eval_windows: int = 6000,              # test windows on the real detections (whole sequences, fixed)
         runs_dir: str = 'runs/penn',           # where the pretraining runs live (shared with bench_penn_models)
         out: str = 'figures/noise_transfer_heatmaps'):  # output stem (.csv, .png)
    root = repo_root(); runs, stem = root / runs_dir, root / out
    rows, tests = [], {}
    for setup in setups.split():
        step = parse_setup(setup).frame_step    # the real test heatmaps depend on the setup's frame step only
        if step not in tests:
            tests[step] = h36m_test(setup, eval_windows)
            r = evaluate_sequences(None, tests[step])
            rows.append(dict(method='input' + ('' if step == 1 else f'_step{step}'), seed=0, **{k: r[k] for k in METRICS}))
        for seed in map(int, seeds.split()):
            cfg = penn_config(model, setup, seed, 'workbook', runs)
            t0 = time.perf_counter(); train_run(cfg, progress=True)
            r = transfer_metrics(cfg.run_dir, tests[step], eval_windows)
            print(f'{setup} seed {seed}: PCK@0.1 {r["pck@0.1"]:.4f} ({time.perf_counter() - t0:.0f} s)', flush=True)
            rows.append(dict(method=f'pretrained_{setup}', seed=seed, **{k: r[k] for k in METRICS}))
    tab = summary_table(rows).drop(columns='train_seconds_mean')   # training times: the runs' own metrics.csv
    tab.insert(1, 'model', ['' if m.startswith('input') else model for m in tab.method])
    tab['n_windows'] = len(next(iter(tests.values())))
    atomic_write(stem.with_suffix('.csv'), lambda f: f.write(tab.to_csv(index=False, float_format='%.4f').encode()))
    plot(tab, model, stem.with_suffix('.png'))
    print(tab.round(4).to_string(index=False))
