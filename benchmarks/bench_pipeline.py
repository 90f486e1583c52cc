"""Benchmark of the heatmap/dataset pipeline (nbs/03_heatmaps, nbs/04_datasets).

usage: .venv/bin/python benchmarks/bench_pipeline.py [--quick]

Prints
 (a) rendering: windows of 5 x 25 heatmaps per second, `render_heatmaps` (one call per window, as the
     datasets do) vs the scipy reference loop (`render_reference`, one gaussian_filter per heatmap),
     and the speed-up (goal >= 20x);
 (b) dataset throughput: samples/s (input + target + mask and the other item keys) through
     `make_loader` (batch 16, the default num_workers = datasets.NUM_WORKERS) over the Penn Action
     windows of setup 1.1 (goal >= 300/s), plus 2 workers for comparison;
 (c) peak memory: max RSS of a fresh process that iterates one epoch over ALL shared Penn Action
     windows (setup 1.1) through the default loader (goal < 2 GB).
Penn labels: $CLIMB_PENN_LABELS or <repo>/../shared/data/penn_action/labels. Torch/numpy threads are
left at their defaults. Other processes on a shared machine slow every number down.

Measured 2026-11-24 on the 2-core machine at load average ~1.2 (28 s in all):
 (a) 6,529 vs 158 windows/s: 41.3x (per CPU-second 5,758 vs 158: 36.4x); max rel. error 3.0e-08
 (b) 1,651 samples/s with num_workers=0 (the default); 656 samples/s with 2 workers
 (c) one epoch over all 33,171 windows in 19 s (1,717 samples/s); max RSS 393 MB (392 MB before the epoch)
Under load average 8-10 (other jobs on the 2 cores) the same script gave 41.8x, 436 samples/s, 392 MB.
"""
import argparse, os, resource, subprocess, sys, time, warnings
import numpy as np


def bench_render(n_fast=2000, n_ref=40, seed=0):
    from climb_smoothing.heatmaps import render_heatmaps, render_reference, SIGMAS
    rng = np.random.default_rng(seed)
    xy = rng.uniform(-1, 56, (n_fast, 5, 25, 2)); pr = np.ones((n_fast, 5, 25), bool)
    sig = rng.choice(SIGMAS, (n_fast, 5, 25))
    for i in range(20): render_heatmaps(xy[i], pr[i], sig[i])                      # warm-up
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(n_fast): render_heatmaps(xy[i], pr[i], sig[i])
    fast, fast_cpu = n_fast / (time.perf_counter() - t0), n_fast / (time.process_time() - c0)
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(n_ref): render_reference(xy[i], pr[i], sig[i])
    ref, ref_cpu = n_ref / (time.perf_counter() - t0), n_ref / (time.process_time() - c0)
    err = max(np.abs(render_heatmaps(xy[i], pr[i], sig[i]) - render_reference(xy[i], pr[i], sig[i])).max()
              for i in range(5)) / 255
    print(f'(a) rendering: render_heatmaps {fast:,.0f} windows/s, scipy reference {ref:,.0f} windows/s, '
          f'speed-up {fast / ref:.1f}x (goal >= 20x); per CPU-second {fast_cpu:,.0f} vs {ref_cpu:,.0f} '
          f'({fast_cpu / ref_cpu:.1f}x); max rel. error {err:.1e}', flush=True)
    return fast, ref


def _penn_dataset(setup='1.1'):
    from climb_smoothing.data import load_penn_action
    from climb_smoothing.datasets import PretrainWindows, window_starts
    penn = load_penn_action()
    windows = [(i, int(s)) for i, q in enumerate(penn) for s in window_starts(len(q))]
    return PretrainWindows(penn, windows, setup, seed=0)


def bench_loader(n_batches=150, workers=(None, 2)):
    from climb_smoothing.datasets import make_loader, NUM_WORKERS
    ds = _penn_dataset()
    out = {}
    for nw in workers:
        nw = NUM_WORKERS if nw is None else nw
        dl = make_loader(ds, batch_size=16, shuffle=True, num_workers=nw)
        it = iter(dl); next(it); next(it)                                           # start-up / warm-up
        t0, c0 = time.perf_counter(), time.process_time(); n = 0
        for _, b in zip(range(n_batches), it): n += len(b['input'])
        out[nw] = n / (time.perf_counter() - t0)
        tag = ' (default)' if nw == NUM_WORKERS else ''
        cpu = f' ({n / (time.process_time() - c0):,.0f} per CPU-second of the main process)' if nw == 0 else ''
        print(f'(b) dataset: {out[nw]:,.0f} samples/s{cpu}, batch 16, num_workers={nw}{tag}, '
              f'{len(ds):,} Penn windows, setup 1.1 (goal >= 300/s)', flush=True)
        del it, dl
    return out


def epoch_memory():
    "Runs in a fresh process: one epoch over all Penn windows; prints RSS before/peak."
    from climb_smoothing.datasets import make_loader
    ds = _penn_dataset()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter(); n = 0; s = 0.0
    for b in make_loader(ds, batch_size=16, shuffle=True):
        n += len(b['input']); s += float(b['target'][:, 2].sum())                  # touch the data
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f'(c) memory: one epoch over all {n:,} Penn windows (setup 1.1) in {dt:.0f} s ({n / dt:,.0f} samples/s); '
          f'max RSS {peak:,.0f} MB (after loading, before the epoch: {base:,.0f} MB; goal < 2048 MB)', flush=True)


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--quick', action='store_true', help='fewer repetitions (a smoke test)')
    ap.add_argument('--epoch-memory', action='store_true', help=argparse.SUPPRESS)  # the fresh child process of (c)
    a = ap.parse_args()
    warnings.simplefilter('ignore')
    os.environ.setdefault('TQDM_DISABLE', '1')
    if a.epoch_memory: epoch_memory(); sys.exit()
    print(f'CPU cores: {os.cpu_count()}, load average {os.getloadavg()[0]:.2f} (other processes share the CPU)', flush=True)
    bench_render(n_fast=200 if a.quick else 2000, n_ref=10 if a.quick else 40)
    bench_loader(n_batches=20 if a.quick else 150)
    if not a.quick: subprocess.run([sys.executable, __file__, '--epoch-memory'], check=True)
    print(f'load average at the end {os.getloadavg()[0]:.2f}')
