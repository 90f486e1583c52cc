"""How much of a heatmap model's output mass lies far from each map's peak, against its temporal base.

With the whole-map 'centroid' read-out, mass far from a keypoint moves its centre of mass a long way; this measures
the fraction of each output map's positive mass beyond ±radius px of its arg-max (mean over present maps), for the
σ-averaged input (the residual base the model starts at) and for the model of a run folder, before its read-out.
Used in nbs/07_models ("correction") on the BiConvLSTM-sum run that diverged on Penn 1.1 (validation windows):

    .venv/bin/python benchmarks/far_mass.py runs/bl_centroid_2k/biconvlstm_sum_1.1_s0     # ~1 min on 2 cores
"""
import torch
from fastcore.script import call_parse
from torch.utils.data import Subset
from climb_smoothing.datasets import make_loader
from climb_smoothing.models import MODELS, LOCAL_RADIUS, near_peak, residual_base, input_presence, HEATMAP_SCALE
from climb_smoothing.data import DataError
from climb_smoothing.runs import RunConfig, run_datasets, make_model, load_checkpoint, model_kind


def far_fraction(maps: torch.Tensor, present: torch.Tensor, radius: int) -> float:   # (B, T, K, H, W), (B, T, K)
    "Mean over present maps of the share of positive mass beyond ±radius px of the map's arg-max."
    m = maps.clamp(min=0)
    far = (m * ~near_peak(m, radius)).sum((-2, -1)) / m.sum((-2, -1)).clamp(min=1e-9)
    return far[present].mean().item()


@call_parse
def main(run_dir: str,               # a run folder holding config.json and last.pt
         windows: int = 32,          # validation windows, evenly spaced
         radius: int = LOCAL_RADIUS):  # px of the 56-px crop around each map's arg-max
    "Print the far-mass fraction of the run's base and of its last checkpoint's output (heatmap read-out)."
    torch.set_num_threads(1)
    cfg = RunConfig.load(run_dir)   # a missing or bad config.json: an error naming it
    if model_kind(MODELS[cfg.model]) != 'heatmap':
        raise DataError(run_dir, f'far_mass measures heatmap models; this run is {cfg.model}')
    ds = run_datasets(cfg)['val']
    idx = list(range(0, len(ds), max(1, len(ds) // windows)))[:windows]
    b = next(iter(make_loader(Subset(ds, idx), batch_size=len(idx), seed=None)))
    x = b['input']; present = input_presence(x)
    cfg.model_kwargs = {**cfg.model_kwargs, 'readout': 'heatmap'}   # the maps before the read-out
    net = make_model(cfg)
    ck = load_checkpoint(f'{run_dir}/last.pt', cfg, ignore_options=('readout',))
    net.load_state_dict(ck['model']); net.eval()
    with torch.no_grad():
        base = residual_base(x / HEATMAP_SCALE, net.temporal_sigma)   # the model's own σ (its default when not set)
        print(f'base (σ = {net.temporal_sigma} average of the input): {far_fraction(base, present, radius):.3f}')
        print(f"model after epoch {ck['epoch']}: {far_fraction(net(x), present, radius):.3f}")
