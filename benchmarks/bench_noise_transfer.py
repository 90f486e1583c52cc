"""Does simulated noise transfer to a real estimator? (issue 10, item 4) — and the long-window model on Penn Action (issue 9).

The coordinate model (`coords.SmoothNetMixer` by default, or `--model`) is pretrained on Penn Action ground truth
(the shared labels, the project's by-sequence split `datasets.split_windows`, seed 0: 60 % train, 20 %
validation for the best checkpoint, 20 % test) with simulated detections (`coords.simulated_detections`):

  uniform1    the thesis's uniform per-frame shift, k = 1 (setups 1.s), white in time
  uniform2    the same with k = 2 (setups 2.s)
  calibrated  the calibrated estimator-error model of 02_synthetic

`--copies` noisy copies of every training sequence; 3 seeds. Each model is then scored, without finetuning:
  * on the Human3.6M S8 test actions (real Stacked-Hourglass detections, 12 limb joints, torso-rule PCK)
    -> <out>.csv, rows per pretraining noise, beside the detections and the tuned Gaussian (from
    figures/real_noise.csv when it exists);
  * on the Penn Action test sequences with the noise it was trained on, beside the noisy input and the
    full-track Gaussian tuned on the Penn validation sequences -> <penn_out>.csv (coordinate space: the
    uniform noise applied to pixel coordinates, i.e. setups k.s without the heatmap rendering). Here the
    model's output Gaussian is chosen on the same validation sequences (`coords.tune_out_sigma`), as the
    Gaussian's σ is; on the real detections the configuration's σ stays.
Checkpoints in --runs_dir are read back on a rerun. Plots <out>.png.

    .venv/bin/python benchmarks/bench_noise_transfer.py        # ~40 min on 2 cores
    .venv/bin/python benchmarks/bench_noise_transfer.py --model pose_transformer --steps 1500 --noises "uniform1 uniform2" \
        --out figures/noise_transfer_pose_transformer --penn_out figures/penn_long_window_pose_transformer   # ~30 min
"""
import dataclasses, json, time
from pathlib import Path

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import numpy as np, pandas as pd
import torch
from fastcore.script import call_parse

from climb_smoothing.data import atomic_write, repo_root, load_penn_action, load_h36m_sh, h36m_split
from climb_smoothing.datasets import split_windows
from climb_smoothing.coords import (CoordConfig, NOISES, simulated_detections, learned_rows, summary_table,
                                    classical_rows, load_coords, smooth_coords, _lists)
from climb_smoothing.smoothers import tune_smoother, apply_smoother
from climb_smoothing.metrics import evaluate


def penn_split(seed: int = 0) -> dict:
    "Penn Action sequences by the project's by-sequence split (the sequences of each part's windows)."
    seqs = load_penn_action()
    sp = split_windows(seqs, seed=seed)
    return {k: [seqs[i] for i in sorted({w[0] for w in sp[k]})] for k in ('train', 'val', 'test')}


def noisy_split(penn: dict, noise: str, copies: int, seed: int = 0) -> dict:
    "DetectedSequences of each part: `copies` noisy draws of every training sequence, one of the others."
    rng = np.random.default_rng(seed)
    make = lambda seqs, n: [d for s in seqs for _ in range(n) for d in [simulated_detections(s, noise, rng)] if d is not None]
    return dict(train=make(penn['train'], copies), val=make(penn['val'], 1), test=make(penn['test'], 1))


def gaussian_row(split: dict) -> dict:
    "The full-track Gaussian tuned on split['val'] for PCK@0.1, scored on split['test'] (12 limb joints)."
    vd, vg, vp, vt = _lists(split['val']); td, tg, tp, tt = _lists(split['test'])
    fps = split['test'][0].gt.fps
    best = tune_smoother('gaussian', vd, vg, vp, vt, fps=fps)
    sm = [apply_smoother('gaussian', d, s.det.present, None, fps, **best) for d, s in zip(td, split['test'])]
    return dict(method='gaussian', seed=0, params=json.dumps(best), **evaluate(sm, tg, tp, tt))


def penn_params(rows: list[dict], noise: str, method: str) -> str:
    "The tuned parameters of a Penn row: the Gaussian's σ, or the learned model's output σ of each seed (in seed order)."
    params = [json.loads(r['params']) for r in rows if r['noise'] == noise and r['method'] == method and r.get('params')]
    if not params: return ''
    if 'out_sigma' in params[0]: return 'out_sigma per seed: ' + ' '.join(f"{p['out_sigma']:g}" for p in params)
    return json.dumps(params[0])


def plot(tab: pd.DataFrame, penn: pd.DataFrame, path: Path):
    "PCK@0.1 on the real detections per pretraining noise; and on Penn Action with each noise, against input and Gaussian."
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.2))
    x = np.arange(len(tab))
    axes[0].bar(x, tab['pck@0.1_mean'], 0.6, yerr=tab['pck@0.1_std'].fillna(0),
                color=['0.5' if m == 'detections' else 'tab:blue' if m == 'gaussian' else 'tab:red' for m in tab.method])
    axes[0].set_xticks(x, tab.method, rotation=25, ha='right'); axes[0].set_ylim(0.5, 1)
    axes[0].set_title('real detections (Human3.6M S8 test): PCK@0.1, no finetuning')
    for j, (noise, d) in enumerate(penn.groupby('noise', sort=False)):
        axes[1].bar(np.arange(len(d)) + j * 0.27, d['pck@0.1_mean'], 0.27, yerr=d['pck@0.1_std'].fillna(0), label=noise)
        axes[1].set_xticks(np.arange(len(d)) + 0.27, [m if m in ('input', 'gaussian') else 'long-window model' for m in d.method])
    axes[1].legend(); axes[1].set_title('Penn Action test, the noise it was trained on: PCK@0.1')
    fig.tight_layout(); atomic_write(path, lambda f: fig.savefig(f, format='png', dpi=90)); plt.close(fig)


@call_parse
def main(noises: str = ' '.join(NOISES),            # pretraining noises
         seeds: str = '0 1 2',
         copies: int = 4,                           # noisy draws per training sequence
         steps: int = 3000,                         # training steps per run
         model: str = 'smoothnet_mixer',            # coordinate model (coords.COORD_MODELS); rows 'pretrained_<noise>' for
                                                    # the mixer, '<model>_<noise>' for another
         runs_dir: str = 'runs/noise_transfer',
         out: str = 'figures/noise_transfer',       # <out>.csv/.png: scored on real detections
         penn_out: str = 'figures/penn_long_window', # <penn_out>.csv: scored on Penn Action with its own noise
         threads: int = 2):
    "Pretrain the coordinate model on Penn Action with each simulated noise; score on real detections and on Penn."
    torch.set_num_threads(threads); t0 = time.time(); root = repo_root()
    penn, real = penn_split(), h36m_split(load_h36m_sh())
    base = CoordConfig(model=model, steps=steps, fps=30.0)
    prefix = 'pretrained' if model == 'smoothnet_mixer' else model      # the mixer keeps its checkpoints' names
    real_rows, penn_rows = classical_rows(dict(val=real['val'], test=real['test']), smoothers=('gaussian',)), []
    for noise in noises.split():
        split = noisy_split(penn, noise, copies)
        print(f'{noise}: {len(split["train"])} training sequences ({sum(map(len, split["train"])):,} frames)')
        rows = learned_rows(split, [int(s) for s in seeds.split()], {f'{prefix}_{noise}': {}}, root / runs_dir, base,
                           tune_sigma=True)
        td, tg, tp, tt = _lists(split['test'])
        penn_rows += [dict(noise=noise, method='input', seed=0, params='', **evaluate(td, tg, tp, tt)),
                      dict(noise=noise, **gaussian_row(split))] + [dict(noise=noise, **r) for r in rows]
        for r in rows:   # the same checkpoints, scored on the real detections
            net = load_coords(root / runs_dir / f'{prefix}_{noise}_seed{r["seed"]}.pt')[0]
            rd, rg, rp, rt = _lists(real['test'])
            preds = [smooth_coords(net, s.det.keypoints, s.det.present, s.gt.fps) for s in real['test']]
            real_rows.append(dict(method=f'{prefix}_{noise}', seed=r['seed'], params='', train_seconds=r['train_seconds'],
                                  **evaluate(preds, rg, rp, rt)))
    tab = summary_table(real_rows)
    penn_tab = pd.concat([summary_table([r for r in penn_rows if r['noise'] == n]).assign(noise=n) for n in noises.split()])
    penn_tab = penn_tab[['noise'] + [c for c in penn_tab.columns if c != 'noise']]
    penn_tab.insert(2, 'params', [penn_params(penn_rows, n, m) for n, m in zip(penn_tab.noise, penn_tab.method)])
    out_p = root / out; out_p.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out_p.with_suffix('.csv'), lambda f: f.write(tab.to_csv(index=False, float_format='%.4f').encode()))
    atomic_write((root / penn_out).with_suffix('.csv'), lambda f: f.write(penn_tab.to_csv(index=False, float_format='%.4f').encode()))
    plot(tab, penn_tab, out_p.with_suffix('.png'))
    with pd.option_context('display.width', 220, 'display.max_columns', 30):
        print(tab.round(4).to_string(index=False)); print(penn_tab.drop(columns='params').round(4).to_string(index=False))
    print(f'wrote {out_p}.csv/.png and {root / penn_out}.csv in {time.time() - t0:.0f} s')
