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
"""
import json, time
from pathlib import Path

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import numpy as np, pandas as pd
import torch
from fastcore.script import call_parse

from climb_smoothing.data import atomic_write, repo_root
from climb_smoothing.experiments import MODEL_ORDER, penn_runs, seed_table, _split


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
    axes[1].set_yscale('log'); axes[0].legend(fontsize=7, ncol=2); fig.suptitle(title); fig.tight_layout()
    atomic_write(path, lambda f: fig.savefig(f, format='png', dpi=90)); plt.close(fig)


@call_parse
def main(models: str = ' '.join(MODEL_ORDER),   # models to train
         setups: str = '1.1 2.1 1.3',            # noise setups
         seeds: str = '0 1 2',                    # seeds (data split, noise and initialisation)
         variants: str = 'workbook',              # 'workbook' and/or 'as_written' (SPEC §5 exactly)
         runs_dir: str = 'runs/penn_centre',      # run folders (resumable; runs/penn holds the runs before window_box)
         out: str = 'figures/penn_models',        # writes <out>.csv and <out>.png
         overrides: str = '',                     # further RunConfig fields as JSON, e.g. '{"epochs": 2}'
         only_finished: bool = False,             # train nothing: tabulate the finished runs
         threads: int = 2):                       # torch threads
    "Train and evaluate the models on Penn Action against their input and the tuned smoothers."
    torch.set_num_threads(threads); t0 = time.time(); root = repo_root()
    long = penn_runs(_split(models), _split(setups), [int(s) for s in _split(seeds)], tuple(_split(variants)),
                     root / runs_dir, only_finished, **(json.loads(overrides) if overrides else {}))
    agg = seed_table(long); out_p = root / out; out_p.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out_p.with_suffix('.csv'), lambda f: f.write(agg.to_csv(index=False, float_format='%.4f').encode()))
    plot(agg, out_p.with_suffix('.png'), 'Penn Action, by-sequence test split, sequence protocol (mean ± sd over seeds)')
    with pd.option_context('display.width', 220, 'display.max_rows', 200):
        print(agg[['setup', 'method', 'n_seeds'] + [f'{m}_mean' for m in ('pck@0.05', 'pck@0.1', 'pck@0.2', 'accel_error')]].round(3).to_string(index=False))
    print(f'wrote {out_p.with_suffix(".csv")} and .png in {(time.time() - t0) / 60:.1f} min')
