"""Validation curves of the thesis-profile runs on a GPU machine (`benchmarks/gpu_penn.sh`), finished or not.

Reads every run folder's `metrics.csv` under `--runs_dir` (epoch 0 = the untrained start) and writes `<out>.csv`
(run, model, variant, setup, epoch, val_pck@0.05/0.1/0.2, seconds, finished) and `<out>.png` (validation PCK@0.1
and PCK@0.2 per epoch), atomically. Runs cut off by the device budget have no test numbers; their curves show how far
they got. The test rows of the finished ones: `bench_penn_models.py --only_finished --out figures/thesis_gpu`.

    .venv/bin/python benchmarks/thesis_curves.py     # runs/thesis_gpu -> figures/thesis_gpu_curves.csv/.png
"""
from pathlib import Path

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import pandas as pd
from fastcore.script import call_parse

from climb_smoothing.data import DataError, atomic_write, repo_root
from climb_smoothing.runs import RunConfig, run_status


def run_curve(run_dir: Path) -> pd.DataFrame:
    "One run's validation rows with its model, variant, setup and whether it finished."
    cfg = RunConfig.load(run_dir / 'config.json')
    m = pd.read_csv(run_dir / 'metrics.csv')
    keep = ['epoch', 'val_pck@0.05', 'val_pck@0.1', 'val_pck@0.2', 'seconds']
    if missing := [c for c in keep if c not in m]: raise DataError(run_dir / 'metrics.csv', f'no column(s) {missing}')
    variant = 'as_written' if run_dir.name.endswith('_as_written') else 'workbook'
    return m[keep].assign(run=run_dir.name, model=cfg.model, variant=variant, setup=cfg.setup,
                          finished=run_status(run_dir) == 'finished')

def plot(curves: pd.DataFrame, path: Path):
    "Validation PCK@0.1 and PCK@0.2 per epoch, one line per run (dashed: cut off before its test)."
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
    for ax, metric in zip(axes, ('val_pck@0.1', 'val_pck@0.2')):
        for run, d in curves.groupby('run', sort=False):
            ax.plot(d.epoch, d[metric], 'o-' if d.finished.iloc[0] else 'o--', label=run)
        ax.set_xlabel('epoch (0: the untrained start)'); ax.set_title(metric)
    axes[0].legend(fontsize=7); fig.suptitle('Thesis profile on a GPU machine (Penn Action, seed 0; epochs capped by the device budget)')
    fig.tight_layout(); atomic_write(path, lambda f: fig.savefig(f, format='png', dpi=90)); plt.close(fig)

@call_parse
def main(runs_dir: str = 'runs/thesis_gpu',          # the thesis-profile run folders
         out: str = 'figures/thesis_gpu_curves'):    # writes <out>.csv and <out>.png
    "Validation curves of the thesis-profile GPU runs."
    root = repo_root(); runs = sorted(p for p in (root / runs_dir).glob('*_s*') if (p / 'metrics.csv').exists())
    if not runs: raise DataError(root / runs_dir, 'no run folders with a metrics.csv')
    curves = pd.concat([run_curve(p) for p in runs], ignore_index=True)
    out_p = root / out; out_p.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out_p.with_suffix('.csv'), lambda f: f.write(curves.to_csv(index=False, float_format='%.4f').encode()))
    plot(curves, out_p.with_suffix('.png'))
    print(curves.groupby('run', sort=False).agg(epochs=('epoch', 'max'), finished=('finished', 'first'),
                                                 last_pck01=('val_pck@0.1', 'last')).to_string())
