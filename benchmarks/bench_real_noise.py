"""Real estimator noise (issue 9): learned coordinate models against the detections and tuned classical smoothers.

Data: the Human3.6M Stacked-Hourglass detections beside ground truth (`data.load_h36m_sh`, read in place from
$CLIMB_H36M_SH or ../shared/data/h36m_sh), split by `data.h36m_split`: S1, S5, S6, S7 train; S8's actions
half validation, half test. Metrics on the 12 limb joints in image pixels, PCK by the torso rule.

Rows: `detections`; `gaussian`, `savgol`, `one_euro`, `kalman` tuned on validation for PCK@0.1; each
coordinate-model variant of `coords.COORD_VARIANTS` trained once per seed, the best validation
weights kept: the pose transformer (`pose_transformer`, the default), SmoothNet with joint mixing
(`smoothnet_mixer`), SmoothNet as published (`smoothnet`) and DeciWatch (`deciwatch`). Checkpoints go to --runs_dir
and are read back on a rerun (an interrupted benchmark resumes).
Also measures the coordinate model's inference speed on a 10-minute, 30 fps track (18,000 frames).
Writes <out>.csv (the columns of figures/results.csv, plus params and train_seconds_mean) and <out>.png, atomically.

    .venv/bin/python benchmarks/bench_real_noise.py                 # seeds 0 1 2, every variant (~55 min on 2 cores from scratch)
"""
import json, time
from pathlib import Path

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import numpy as np, pandas as pd
import torch
from fastcore.script import call_parse

from climb_smoothing.data import atomic_write, repo_root, load_h36m_sh, h36m_split
from climb_smoothing.coords import (COORD_VARIANTS, CoordConfig, classical_rows, learned_rows, summary_table,
                                    smooth_coords, load_coords)


def plot(tab: pd.DataFrame, path: Path):
    "PCK@0.05/0.1/0.2, mean error and acceleration error per method, mean ± sd over seeds."
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2)); x = np.arange(len(tab))
    colors = ['0.5' if m == 'detections' else ('tab:blue' if m in ('gaussian', 'savgol', 'one_euro', 'kalman') else 'tab:red')
              for m in tab.method]
    for j, a in enumerate(('pck@0.05', 'pck@0.1', 'pck@0.2')):
        axes[0].bar(x + (j - 1) * 0.27, tab[f'{a}_mean'], 0.27, yerr=tab[f'{a}_std'].fillna(0), label=a,
                    color=plt.cm.Greens(0.4 + 0.25 * j))
    axes[0].set_ylim(0.3, 1); axes[0].legend(fontsize=8); axes[0].set_title('test PCK (torso rule, 12 limb joints)')
    for ax, k, t in ((axes[1], 'px_error', 'mean keypoint error (px)'), (axes[2], 'accel_error', 'acceleration error (px/frame²)')):
        ax.bar(x, tab[f'{k}_mean'], 0.7, yerr=tab[f'{k}_std'].fillna(0), color=colors); ax.set_title(t)
    axes[2].set_yscale('log')
    for ax in axes: ax.set_xticks(x, tab.method, rotation=30, ha='right')
    fig.suptitle('Human3.6M, real Stacked-Hourglass detections, S8 test actions (grey: detections, blue: tuned filters, red: learned)')
    fig.tight_layout(); atomic_write(path, lambda f: fig.savefig(f, format='png', dpi=90)); plt.close(fig)


def inference_speed(model, frames: int = 18000, repeats: int = 3) -> float:
    "Frames per second of `smooth_coords` on a random 30 fps track of `frames` frames (best of `repeats`)."
    rng = np.random.default_rng(0)
    track = rng.normal(500, 60, (frames, 25, 2)).cumsum(0) * 0.01 + 400; present = np.ones((frames, 25), bool)
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter(); smooth_coords(model, track, present, fps=30.0); best = min(best, time.perf_counter() - t0)
    return frames / best


@call_parse
def main(seeds: str = '0 1 2',                  # seeds of the learned models
         variants: str = ' '.join(COORD_VARIANTS),  # coordinate-model variants
         runs_dir: str = 'runs/real_noise',      # checkpoints (read back on a rerun)
         out: str = 'figures/real_noise',        # writes <out>.csv and <out>.png
         steps: int = CoordConfig.steps,         # training steps per run
         threads: int = 2):                      # torch threads
    "Score the detections, the tuned classical smoothers and the coordinate models on the S8 test actions."
    torch.set_num_threads(threads); t0 = time.time(); root = repo_root()
    split = h36m_split(load_h36m_sh())
    print({k: (len(v), sum(map(len, v))) for k, v in split.items()}, '(sequences, frames)')
    rows = classical_rows(split)
    rows += learned_rows(split, [int(s) for s in seeds.split()], {v: COORD_VARIANTS[v] for v in variants.split()},
                         root / runs_dir, CoordConfig(steps=steps))
    tab = summary_table(rows)
    params = {r['method']: r['params'] for r in rows}
    tab.insert(1, 'params', tab.method.map(params))
    out_p = root / out; out_p.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out_p.with_suffix('.csv'), lambda f: f.write(tab.to_csv(index=False, float_format='%.4f').encode()))
    plot(tab, out_p.with_suffix('.png'))
    with pd.option_context('display.width', 220, 'display.max_columns', 30):
        print(tab.drop(columns=['params']).round(4).to_string(index=False))
    first = sorted((root / runs_dir).glob(f'{variants.split()[0]}_seed*.pt'))[0]
    print(f'inference: {inference_speed(load_coords(first)[0]):,.0f} frames/s ({first.name}, 18,000-frame track, {threads} threads)')
    print(f'wrote {out_p}.csv/.png in {time.time() - t0:.0f} s')
