"""Why one box per window (issue 8): how far the frames' own crops move under a keypoint that stands still.

A model sees crops only. When each frame has its own box (SPEC §4: the ground truth's box when pretraining, the
estimator's box when finetuning), the crops move with the box; a temporal model that averages the crops of a
window averages the box's motion in. The measurement needs no model: the 5-frame average of the **ground truth**
itself, taken in the crops the model would see, scored against the window's centre frame (PCK by the torso rule
in the centre frame's crop) — with `window_box='frame'` (each frame's own box) and `'centre'` (every frame in the
centre frame's box, `datasets.WINDOW_BOXES`). Also the mean change of the box between consecutive frames.

Validation windows of: the quick profile's finetuning data (the synthetic ClimbAlong-format estimator output)
and Penn Action at setup 1.1 (boxes fitted to each frame's pose). Writes figures/window_box.csv.

    .venv/bin/python benchmarks/bench_window_box.py     # ~1 min on 2 cores
"""
import numpy as np, pandas as pd
from fastcore.script import call_parse

from climb_smoothing.data import atomic_write, repo_root
from climb_smoothing.runs import RunConfig, run_datasets
from climb_smoothing.datasets import make_loader

SOURCES = {'finetuning (synthetic estimator output)': dict(data='climbalong'), 'Penn Action 1.1': dict(data='penn_action')}


def window_average_pck(ds, alphas=(0.05, 0.1, 0.2)) -> dict:
    "PCK of the 5-frame ground-truth average against the centre frame, in the dataset's crops; box motion in pixels."
    hits, total, motion = np.zeros(len(alphas)), 0, []
    for b in make_loader(ds, batch_size=64, seed=None):
        xy, m, torso = b['keypoints'].numpy(), b['mask'].numpy() > 0, b['torso'].numpy()
        c = xy.shape[1] // 2
        avg = np.where(m[..., None], xy, 0).sum(1) / np.maximum(m.sum(1), 1)[..., None]
        ok = m.all(1) & np.isfinite(torso[:, c])[:, None]          # keypoints present in all five frames
        err = np.linalg.norm(avg - xy[:, c], axis=-1)[ok]
        tor = np.broadcast_to(torso[:, c][:, None], ok.shape)[ok]
        hits += [(err <= a * tor).sum() for a in alphas]; total += ok.sum()
        own = b['boxes'].numpy()
        motion.append(np.abs(np.diff(own, axis=1)).mean((1, 2)))
    return {**{f'pck@{a}': h / total for a, h in zip(alphas, hits)}, 'n_keypoints': int(total),
            'box_change_px': float(np.concatenate(motion).mean())}


@call_parse
def main(out: str = 'figures/window_box.csv'):  # the table
    "The 5-frame ground-truth average in each frame's own crop and in the centre frame's crop."
    rows = []
    for name, kw in SOURCES.items():
        for wb in ('frame', 'centre'):
            ds = run_datasets(RunConfig(setup='1.1', window_box=wb, **kw))['val']
            r = window_average_pck(ds)
            if wb == 'centre': r['box_change_px'] = rows[-1]['box_change_px']   # the frames' own boxes either way
            rows.append(dict(data=name, window_box=wb, **r))
            print(rows[-1], flush=True)
    df = pd.DataFrame(rows); path = repo_root() / out
    atomic_write(path, lambda f: f.write(df.to_csv(index=False, float_format='%.4f').encode()))
    print(df.to_string(index=False)); print('wrote', path)
