"""Screening of coordinate-model designs on the S8 validation actions (one seed): what chose `PoseTransformer` (13_coords).

Each design is trained with `coords.train_coords` on S1, S5, S6, S7 and scored every 250 steps on the validation split
(PCK@0.1, torso rule, output Gaussian σ = 2); the best score is printed. The test split is never read here.

* `pose_transformer` — `coords.PoseTransformer`, one token per frame (the workbook's default)
* `smoothnet_mixer` — `coords.SmoothNetMixer` with joint mixing
* `frame_mlp`        — the mixer after two per-frame residual MLPs across the 24 coordinate channels
* `hip_relative`     — the mixer with each frame's points relative to its hip centre as 24 extra channels
* `--rotate 15 --stretch 0.1` — training windows rotated by up to ±15° and stretched in x by up to e^±0.1

    .venv/bin/python benchmarks/screen_coord_models.py --design pose_transformer --steps 1500    # ~5 min on 2 cores
"""
import dataclasses, json, time
import numpy as np, torch
from torch import nn
from fastcore.script import call_parse

import climb_smoothing.coords as coords
from climb_smoothing.coords import (CoordConfig, SmoothNetMixer, TemporalBlock, JointMixBlock, train_coords, _HIPS)
from climb_smoothing.data import load_h36m_sh, h36m_split


class FrameMLP(nn.Module):
    "Per-frame residual MLP across the C coordinate channels (time domain)."
    def __init__(self, C):
        super().__init__(); self.norm = nn.LayerNorm(C)
        self.mlp = nn.Sequential(nn.Linear(C, 4 * C), nn.GELU(), nn.Linear(4 * C, C))
    def forward(self, c): return c + self.mlp(self.norm(c.transpose(1, 2))).transpose(1, 2)   # (B, C, T)

class FrameMLPMixer(SmoothNetMixer):
    "The mixer after two per-frame MLPs."
    def __init__(self, *a, **k):
        super().__init__(*a, **k); self.frame = nn.Sequential(*[FrameMLP(2 * self.n_joints) for _ in range(2)])
    def forward(self, x):
        B, T, J, _ = x.shape
        y = self.decode(self.blocks(self.encode(self.frame(x.reshape(B, T, 2 * J).transpose(1, 2)))))
        return x + y.transpose(1, 2).reshape(B, T, J, 2)

class HipRelativeMixer(nn.Module):
    "The mixer on 48 channels: window coordinates and each frame's points relative to its hip centre."
    def __init__(self, T, n_joints, hidden, layers):
        super().__init__(); self.T, C = T, 4 * n_joints
        self.encode, self.decode = nn.Linear(T, hidden), nn.Linear(hidden, T)
        self.blocks = nn.Sequential(*[b for _ in range(layers) for b in (TemporalBlock(hidden), JointMixBlock(C))])
        self.out = nn.Linear(C, 2 * n_joints); nn.init.zeros_(self.out.weight); nn.init.zeros_(self.out.bias)
    def forward(self, x):
        B, T, J, _ = x.shape
        rel = x - x[:, :, _HIPS].mean(2, keepdim=True)
        c = torch.cat([x.reshape(B, T, 2 * J), rel.reshape(B, T, 2 * J)], -1).transpose(1, 2)   # (B, 2C, T)
        return x + self.out(self.decode(self.blocks(self.encode(c))).transpose(1, 2)).reshape(B, T, J, 2)

DESIGNS = {'frame_mlp': lambda c: FrameMLPMixer(c.T, 12, c.hidden, c.layers),
           'hip_relative': lambda c: HipRelativeMixer(c.T, 12, c.hidden, c.layers)}

@dataclasses.dataclass
class ScreenConfig(CoordConfig):
    design: str = ''
    def build(self):
        if self.design not in DESIGNS: return CoordConfig.build(self)
        m = DESIGNS[self.design](self); m.fps, m.out_sigma = self.fps, self.out_sigma
        return m

class AugmentedWindows(coords.CoordWindows):
    "Training windows rotated by ±rotate degrees and stretched in x by e^±stretch (the same for detections and truth)."
    rotate, stretch = 0.0, 0.0
    def sample(self, n, rng):
        x, y, m = super().sample(n, rng)
        a = torch.from_numpy(np.deg2rad(rng.uniform(-self.rotate, self.rotate, n))).float()
        sx = torch.from_numpy(np.exp(rng.uniform(-self.stretch, self.stretch, n))).float()
        R = torch.stack([torch.stack([a.cos() * sx, -a.sin()], -1), torch.stack([a.sin() * sx, a.cos()], -1)], -2)   # (n, 2, 2)
        return torch.einsum('nij,ntkj->ntki', R, x), torch.einsum('nij,ntkj->ntki', R, y), m


@call_parse
def main(design: str = 'pose_transformer',    # pose_transformer, smoothnet_mixer, frame_mlp, hip_relative
         steps: int = 1500, seed: int = 0,
         rotate: float = 0.0,                  # degrees
         stretch: float = 0.0,                 # log of the largest x stretch
         threads: int = 2):
    "Train one design on S1, S5–S7; print its best validation PCK@0.1 (S8 validation actions)."
    torch.set_num_threads(threads)
    model = design if design in coords.COORD_MODELS else 'smoothnet_mixer'
    cfg = ScreenConfig(model=model, design=design, steps=steps, seed=seed)
    if rotate or stretch:
        AugmentedWindows.rotate, AugmentedWindows.stretch = rotate, stretch
        coords.CoordWindows = AugmentedWindows            # train_coords samples its windows from this class
    split = h36m_split(load_h36m_sh()); t0 = time.time()
    m, hist = train_coords(cfg, split['train'], split['val'], progress=False)
    best = max(hist, key=lambda h: h['val_pck@0.1'])
    print(json.dumps(dict(design=design, steps=steps, seed=seed, rotate=rotate, stretch=stretch,
                          best_val_pck01=round(best['val_pck@0.1'], 4), at_step=best['step'],
                          params=sum(p.numel() for p in m.parameters()), seconds=round(time.time() - t0))))
