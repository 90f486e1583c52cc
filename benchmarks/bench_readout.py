"""Read-outs of heatmaps, measured on the inputs alone: where does the whole-map centre of mass help, and where does it hurt?

Issue 8 follow-up. The centroid read-out (`models.centroid_readout`) made averaging maps average positions (Penn
Action), but on the estimator-like finetuning maps it is pulled by secondary blobs. This decodes the **input**
validation windows — no model — with:

* `argmax`: the project's decoder (`crops.decode_heatmaps`, sub-pixel 'quadratic');
* `centroid`: the centre of mass of the whole map (`models.centroid`);
* `local_r<r>`: the centre of mass within ±r pixels of the map's arg-max (`models.centroid(..., radius=r)`, the
  `'local_centroid'` read-out at r = `models.LOCAL_RADIUS`);

each of the middle frame's own maps (`frame`) and of the within-window temporal Gaussian average of the five maps
(`average`, σ = 3 frames: what an untrained Conv3d with the workbook's defaults returns), and prints PCK@0.05/0.1/0.2
(window protocol, middle frame, crop pixels) for two data sets: the main job's finetuning data (`climbalong`, whole
validation split) and Penn Action setup 1.1 (1,200 validation windows, as `PENN_BUDGET`).

    .venv/bin/python benchmarks/bench_readout.py        # ~3 min on 2 cores
"""
import numpy as np, torch
from fastcore.script import call_parse
from torch.utils.data import Subset

from climb_smoothing.crops import decode_heatmaps
from climb_smoothing.experiments import profile_config
from climb_smoothing.metrics import pck_counts
from climb_smoothing.models import centroid, temporal_weights, temporal_average
from climb_smoothing.runs import run_datasets
from climb_smoothing.train import make_loader


READOUTS = {'argmax': lambda h: torch.as_tensor(decode_heatmaps(h)), 'centroid': lambda h: centroid(h)[0],
            **{f'local_r{r}': (lambda h, r=r: centroid(h, radius=r)[0]) for r in (2, 4, 8, 10, 12)}}

def measure(ds, n: int = 0) -> dict:
    "{(maps, read-out): (PCK@0.05, PCK@0.1, PCK@0.2)} over the first n windows of ds (0: all)."
    if n: ds = Subset(ds, range(min(n, len(ds))))
    hits, total = {}, 0
    w = temporal_weights(5, 3.0)
    for b in make_loader(ds, batch_size=64, seed=None):
        x = b['input'].float()                                           # (B, 5, K, H, W)
        mid = x.shape[1] // 2
        maps = {'frame': x[:, mid], 'average': temporal_average(x, w)[:, mid]}
        gt, pr, torso = b['keypoints'][:, mid].numpy(), b['mask'][:, mid].numpy() > 0, b['torso'][:, mid].numpy()
        for mk, h in maps.items():
            for rk, f in READOUTS.items():
                xy = f(h).numpy()
                c = [pck_counts(xy, gt, pr, torso, a) for a in (0.05, 0.1, 0.2)]
                hits[(mk, rk)] = [s + ci[0] for s, ci in zip(hits.get((mk, rk), [0, 0, 0]), c)]
        total += c[0][1]
    return {k: tuple(h / total for h in v) for k, v in hits.items()}


@call_parse
def main(threads: int = 2):
    "Print the table for the finetuning data and Penn Action 1.1."
    torch.set_num_threads(threads)
    sets = {'finetuning (climbalong, val)': (profile_config('quick', 'conv3d', '1.1', data='climbalong', max_eval_windows=0), 0),
            'Penn Action 1.1 (val)': (profile_config('quick', 'conv3d', '1.1', data='penn_action', max_sequences=0,
                                                     max_train_windows=16, max_eval_windows=1200), 1200)}
    for name, (cfg, n) in sets.items():
        res = measure(run_datasets(cfg)['val'], n)
        print(f'\n{name}: PCK@0.05 / 0.1 / 0.2 of the decoded input')
        for (mk, rk), v in res.items(): print(f'  {mk:8s} {rk:10s} ' + ' / '.join(f'{p:.3f}' for p in v))
