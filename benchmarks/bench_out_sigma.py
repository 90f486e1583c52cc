"""The output Gaussian of a coordinate model (`CoordConfig.out_sigma`), measured on the S8 validation actions.

For each seed's checkpoint of `benchmarks/bench_real_noise.py` (runs/real_noise/<variant>_seed<k>.pt): PCK@0.1 and
acceleration error of the model's output under a temporal Gaussian of σ frames, beside the tuned Gaussian and
Kalman/RTS smoothers on the same split. The rule of `13_coords` picks the smallest σ at which every seed is at least as
smooth as the best tuned classical smoother. Validation only: the test split is never read here.

    .venv/bin/python benchmarks/bench_out_sigma.py --variant pose_transformer     # ~2 min on 2 cores
"""
import torch
from fastcore.script import call_parse

from climb_smoothing.data import repo_root, load_h36m_sh, h36m_split
from climb_smoothing.coords import classical_rows, load_coords, smooth_coords, _lists
from climb_smoothing.metrics import evaluate


@call_parse
def main(variant: str = 'pose_transformer',     # a name of coords.COORD_VARIANTS
         seeds: str = '0 1 2',
         sigmas: str = '0 1.5 2 2.5',            # output Gaussians to try (frames)
         runs_dir: str = 'runs/real_noise',
         threads: int = 2):
    "Print validation PCK@0.1 and acceleration error per seed and σ, and the classical smoothers' on the same split."
    torch.set_num_threads(threads)
    val = h36m_split(load_h36m_sh())['val']
    for r in classical_rows(dict(val=val, test=val), smoothers=('gaussian', 'kalman')):
        print(f"{r['method']:12s} {r['params']:28s} PCK@0.1 {r['pck@0.1']:.4f}  accel {r['accel_error']:.3f}")
    _, g, p, t = _lists(val)
    for seed in seeds.split():
        model = load_coords(repo_root() / runs_dir / f'{variant}_seed{seed}.pt')[0]
        for s in map(float, sigmas.split()):
            preds = [smooth_coords(model, q.det.keypoints, q.det.present, q.gt.fps, out_sigma=s) for q in val]
            r = evaluate(preds, g, p, t)
            print(f"{variant} seed {seed}  σ {s:3.1f}  PCK@0.1 {r['pck@0.1']:.4f}  accel {r['accel_error']:.3f}", flush=True)
