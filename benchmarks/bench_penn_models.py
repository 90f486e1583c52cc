"""Penn Action benchmark of the learned models against their noisy input and the tuned smoothers (issue 8).

For every setup × seed: the by-sequence split of the shared Penn Action labels, the sequence protocol on
whole test sequences, the input and every smoother of `smoothers.SMOOTHERS` (full-track and same-window,
tuned on validation for PCK@0.1), and each model trained under `experiments.PENN_BUDGET` with the workbook's
options (`--variants workbook`) and/or exactly as SPEC §5 writes them (`--variants as_written`, the
ablation). Runs are ordinary run folders under `--runs_dir`: interrupted ones resume, finished ones are read
back, so a rerun only does what is missing; `--only_finished` trains nothing and tabulates what exists.
Writes `<out>.csv` (mean ± sd over seeds per setup and method, the columns of figures/results.csv) and
`<out>.png`, atomically. The logic lives in `climb_smoothing.experiments` (notebook 09).

    .venv/bin/python benchmarks/bench_penn_models.py                          # all models, setups 1.1 2.1 1.3, seeds 0 1 2
    .venv/bin/python benchmarks/bench_penn_models.py --models conv3d --setups 1.1 --seeds 0 --variants "workbook as_written" --out figures/ablation
    python benchmarks/bench_penn_models.py --jobs 12 --setups "2.1 1.3" --models "conv3d deciwatch"   # a GPU machine: 12 runs in 1.7 min (H200)

`--update` keeps the rows of an existing `<out>.csv` that this call does not measure (e.g. runs made on another
machine whose folders are not here) and replaces the (setup, method) rows it does; without it the table is rebuilt
from the run folders alone.

`--jobs N` runs N processes at once (one torch thread each): first the baselines of every (setup, seed), then
every run, each a call of this script on one model, setup and seed (logs in <runs_dir>/logs/); the table is then
read from the finished run folders. On a 2-core machine keep `--jobs 1`: parallel runs slow each other down.
The windows are rendered on the CPU: on a 16-core GPU machine 14 runs of 4,000 training windows per epoch took
~20 s per epoch each (measured), so a larger budget there is bound by the cores, not the GPU.
"""
import json, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import numpy as np, pandas as pd
import torch
from fastcore.script import call_parse

from tqdm.auto import tqdm

from climb_smoothing.data import atomic_write, repo_root
from climb_smoothing.experiments import MODEL_ORDER, merge_tables, penn_runs, seed_table, _split


def plot(agg: pd.DataFrame, path: Path, title: str):
    "PCK@0.1 and acceleration error per setup and method, mean ± sd over seeds."
    methods, setups = list(dict.fromkeys(agg.method)), list(dict.fromkeys(agg.setup))
    fig, axes = plt.subplots(1, 2, figsize=(14, 4.5)); w = 0.8 / len(methods)
    for ax, metric in zip(axes, ('pck@0.1', 'accel_error')):
        for j, m in enumerate(methods):
            d = agg[agg.method == m].set_index('setup').reindex(setups)
            ax.bar(np.arange(len(setups)) + j * w, d[f'{metric}_mean'], w, yerr=d[f'{metric}_std'].fillna(0), label=m,
                   color=plt.cm.tab20(j % 20))
        ax.set_xticks(np.arange(len(setups)) + 0.4 - w / 2, setups); ax.set_xlabel('setup'); ax.set_title(f'test {metric}')
    axes[1].set_yscale('log'); fig.suptitle(title)
    handles, labels = axes[0].get_legend_handles_labels()   # below the axes: inside, it hid the 1.1 bars
    fig.legend(handles, labels, loc='lower center', ncol=min(len(methods), 6), fontsize=8)
    fig.tight_layout(rect=(0, 0.06 * (1 + (len(methods) - 1) // 6), 1, 1))
    atomic_write(path, lambda f: fig.savefig(f, format='png', dpi=90)); plt.close(fig)


def _job(args: list, log: Path) -> int:
    "This script with `args` in a subprocess, its output in `log`; its return code."
    with open(log, 'w') as f:
        return subprocess.run([sys.executable, __file__, *args, '--threads', '1'], stdout=f, stderr=subprocess.STDOUT).returncode

def _run_jobs(jobs: list, n: int, what: str) -> list:
    "Run `(args, log)` jobs `n` at a time; the logs of the failed ones."
    failed = []
    with ThreadPoolExecutor(n) as pool:
        futures = {pool.submit(_job, a, log): log for a, log in jobs}
        for f in tqdm(as_completed(futures), total=len(futures), desc=what):
            if f.result() != 0: failed.append(futures[f]); print(f'failed: see {futures[f]}', flush=True)
    return failed

def run_parallel(models: list, setups: list, seeds: list, variants: str, runs_dir: str, overrides: str, n: int) -> list:
    "Baselines of each (setup, seed), then each (model, setup, seed) run, `n` processes at a time; the failed jobs' logs."
    logs = repo_root() / runs_dir / 'logs'; logs.mkdir(parents=True, exist_ok=True)
    common = ['--variants', variants, '--runs_dir', runs_dir, '--overrides', overrides]
    def job(m, s, seed, *extra):
        name = (f'{m}_{s}_s{seed}' if not extra else f'baselines_{s}_s{seed}').replace('.', '_')   # no '.': <out>.csv
        return ['--models', m, '--setups', s, '--seeds', str(seed), '--out', str(logs / name), *common, *extra], logs / f'{name}.log'
    failed = _run_jobs([job(models[0], s, seed, '--only_finished') for s in setups for seed in seeds], n, 'baselines')
    by_cost = sorted(models, key=lambda m: MODEL_ORDER.index(m) if m in MODEL_ORDER else 0)   # conv3d (slowest) first
    return failed + _run_jobs([job(m, s, seed) for m in by_cost for s in setups for seed in seeds], n, 'runs')

@call_parse
def main(models: str = ' '.join(MODEL_ORDER),   # models to train
         setups: str = '1.1 2.1 1.3',            # noise setups
         seeds: str = '0 1 2',                    # seeds (data split, noise and initialisation)
         variants: str = 'workbook',              # 'workbook' and/or 'as_written' (SPEC §5 exactly)
         runs_dir: str = 'runs/penn_centre',      # run folders (resumable; runs/penn holds the runs before window_box)
         out: str = 'figures/penn_models',        # writes <out>.csv and <out>.png
         overrides: str = '',                     # further RunConfig fields as JSON, e.g. '{"epochs": 2}'
         only_finished: bool = False,             # train nothing: tabulate the finished runs
         update: bool = False,                    # keep <out>.csv's other rows (runs made elsewhere); replace those measured now
         threads: int = 2,                        # torch threads
         jobs: int = 1):                          # processes at once (a machine with many cores or a GPU)
    "Train and evaluate the models on Penn Action against their input and the tuned smoothers."
    torch.set_num_threads(threads); t0 = time.time(); root = repo_root(); failed = []
    if jobs > 1 and not only_finished:
        failed = run_parallel(_split(models), _split(setups), _split(seeds), variants, runs_dir, overrides, jobs)
        only_finished = True
    long = penn_runs(_split(models), _split(setups), [int(s) for s in _split(seeds)], tuple(_split(variants)),
                     root / runs_dir, only_finished, **(json.loads(overrides) if overrides else {}))
    agg = seed_table(long); out_p = root / out; out_p.parent.mkdir(parents=True, exist_ok=True)
    if update and out_p.with_suffix('.csv').exists():
        agg = merge_tables(agg, pd.read_csv(out_p.with_suffix('.csv'), dtype={'setup': str}))
    atomic_write(out_p.with_suffix('.csv'), lambda f: f.write(agg.to_csv(index=False, float_format='%.4f').encode()))
    plot(agg, out_p.with_suffix('.png'), 'Penn Action, by-sequence test split, sequence protocol (mean ± sd over seeds)')
    with pd.option_context('display.width', 220, 'display.max_rows', 200):
        print(agg[['setup', 'method', 'n_seeds'] + [f'{m}_mean' for m in ('pck@0.05', 'pck@0.1', 'pck@0.2', 'accel_error')]].round(3).to_string(index=False))
    print(f'wrote {out_p.with_suffix(".csv")} and .png in {(time.time() - t0) / 60:.1f} min')
    if failed: sys.exit(f'{len(failed)} job(s) failed: ' + ', '.join(map(str, failed)))
