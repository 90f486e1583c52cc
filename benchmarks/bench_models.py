"""Speed and memory of the four models (climb_smoothing.models) on this machine's CPU.

usage:  .venv/bin/python benchmarks/bench_models.py [--seconds 10] [--models conv3d ...] [--profiles thesis cpu]

For every model and width profile, in a fresh subprocess (so peak memory is that model's alone):
  * train windows/s: batch 16, forward + masked loss + backward + Adam step (SPEC §6), random inputs
    of the real shapes (speed does not depend on values);
  * infer frames/s: model.eval() under torch.inference_mode, batches of 32 windows. With the
    sequence protocol (SPEC §7) every frame is the centre of one window, so frames/s = windows/s.
    Model only: rendering/decoding heatmaps is not included;
  * parameters;
  * peak RSS (ru_maxrss of the subprocess, MB) after inference and after training (it includes the
    ~0.3 GB of the Python + torch import, printed as 'base').
Each timing runs warm-up steps first (3; 1 for the BiConvLSTMs at thesis widths), then repeats until
--seconds have passed (at least 2 steps; 1 for the BiConvLSTMs at thesis widths, where one training
step of batch 16 takes minutes on 2 cores).

Profiles (only the BiConvLSTMs have widths to change):
  thesis: hidden = width = 128 (thesis §3.2);
  cpu:    hidden = width = 32 — the same structure (cells, head depths, pixel peepholes), about 1/16 of
          the convolution cost, for CPU-only runs of the whole pipeline;
  quick:  hidden = width = 16, the widths of climb_smoothing.experiments' 'quick' profile (not run by
          default: pass --profiles quick).
  Conv3d (78 k parameters) and DeciWatch (coordinates, 1.7 M parameters but only T = 5 tokens) are
  cheap on a CPU at their thesis/official sizes and are measured once, at those sizes.
torch uses its default thread count (= all cores) unless --threads is given. The machine is shared with other developers: the
load average before and after is printed; compare numbers only from calm runs.

Measured 2026-11-24 on the 2-core machine at load average ~1.3, torch's 2 threads,
`.venv/bin/python benchmarks/bench_models.py --seconds 3 --profiles cpu thesis` (160 s):

    model              profile      params  train win/s  infer frames/s  peak MB infer  peak MB train
    conv3d             fixed        78,150        68.99          150.20            425            884
    biconvlstm_sum     cpu         792,946         3.58           23.13            751           2131
    biconvlstm_sum     thesis    4,744,498         1.38            2.92           1332           5985
    biconvlstm_concat  cpu         792,089         6.36           23.91            813           2145
    biconvlstm_concat  thesis    4,741,145         1.37            2.98           2019           6352
    deciwatch          fixed     1,708,147       672.98         6203.94            250            359
"""
import argparse, json, os, resource, subprocess, sys, time

BATCH_TRAIN, BATCH_INFER, T, K, S = 16, 32, 5, 25, 56
PROFILES = {'thesis': dict(hidden=128, width=128), 'cpu': dict(hidden=32, width=32), 'quick': dict(hidden=16, width=16)}
WIDTH_MODELS = ('biconvlstm_sum', 'biconvlstm_concat')


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _timed(step, seconds, warmup, min_steps=2):
    "Run `step` `warmup` times, then until `seconds` have passed (at least `min_steps`); returns seconds per step."
    for _ in range(warmup): step()
    n, t0 = 0, time.perf_counter()
    while n < min_steps or time.perf_counter() - t0 < seconds:
        step(); n += 1
    return (time.perf_counter() - t0) / n


def measure(name, profile, seconds, threads=0):
    "Measure one model in this process; returns a dict (run in a fresh subprocess for honest peak memory)."
    import torch
    from climb_smoothing.models import build_model, count_parameters, masked_mse, deciwatch_loss
    if threads: torch.set_num_threads(threads)
    base = _rss_mb()
    torch.manual_seed(0)
    model = build_model(name, **(PROFILES[profile] if name in WIDTH_MODELS else {}))

    def inputs(B):
        if model.kind == 'heatmap': return torch.rand(B, T, K, S, S) * 40
        return torch.rand(B, T, K, 2)

    # inference first: ru_maxrss only grows, so its value now is the inference peak
    x_inf = inputs(BATCH_INFER)
    model.eval()
    def infer():
        with torch.inference_mode(): model(x_inf)
    heavy = name in WIDTH_MODELS and profile == 'thesis'
    s_inf = _timed(infer, seconds, warmup=1 if heavy else 3, min_steps=1 if heavy else 2)
    rss_inf = _rss_mb()

    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, mask = inputs(BATCH_TRAIN), torch.ones(BATCH_TRAIN, T, K)
    y = torch.rand_like(x)
    def train_step():
        if model.kind == 'heatmap': loss = masked_mse(model(x), y, mask)
        else: loss = deciwatch_loss(*model(x), y, mask, model.interval)
        opt.zero_grad(); loss.backward(); opt.step()
    s_train = _timed(train_step, seconds, warmup=1 if heavy else 3, min_steps=1 if heavy else 2)
    return dict(model=name, profile=profile if name in WIDTH_MODELS else 'fixed', params=count_parameters(model),
                train_windows_s=BATCH_TRAIN / s_train, infer_frames_s=BATCH_INFER / s_inf,
                rss_infer_mb=rss_inf, rss_train_mb=_rss_mb(), rss_base_mb=base, threads=torch.get_num_threads())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--seconds', type=float, default=10.0, help='timed seconds per measurement (after warm-up)')
    ap.add_argument('--models', nargs='+', default=['conv3d', 'biconvlstm_sum', 'biconvlstm_concat', 'deciwatch'])
    ap.add_argument('--profiles', nargs='+', default=['cpu', 'thesis'], choices=sorted(PROFILES))
    ap.add_argument('--threads', type=int, default=0,
                    help='torch.set_num_threads in each measurement (0: torch default = all cores). On a CPU shared '
                         'with other jobs, 1 thread avoids OpenMP spin-waiting against them')
    ap.add_argument('--one', nargs=2, metavar=('MODEL', 'PROFILE'), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(measure(a.one[0], a.one[1], a.seconds, a.threads))); return
    from climb_smoothing.models import MODELS
    bad = [m for m in a.models if m not in MODELS]
    if bad: ap.error(f'unknown model(s) {bad}; choose from {sorted(MODELS)}')
    jobs = [(m, p) for m in a.models for p in (a.profiles if m in WIDTH_MODELS else a.profiles[:1])]
    print(f'{os.cpu_count()} CPUs, load average before: {os.getloadavg()}', flush=True)
    rows, t0 = [], time.time()
    for m, p in jobs:
        r = subprocess.run([sys.executable, __file__, '--one', m, p, '--seconds', str(a.seconds), '--threads', str(a.threads)],
                           capture_output=True, text=True)
        if r.returncode: sys.exit(f'{m} ({p}) failed:\n{r.stderr}')
        rows.append(json.loads(r.stdout.strip().splitlines()[-1]))
        r = rows[-1]
        print(f'  measured {m} ({p}): train {r["train_windows_s"]:.2f} windows/s, infer {r["infer_frames_s"]:.2f} frames/s', flush=True)
    print(f'load average after: {os.getloadavg()}; {time.time() - t0:.0f} s; torch threads: {rows[0]["threads"]}\n')
    hdr = f'{"model":18s} {"profile":8s} {"params":>10s} {"train win/s":>12s} {"infer frames/s":>15s} ' \
          f'{"peak MB infer":>14s} {"peak MB train":>14s}'
    print(hdr); print('-' * len(hdr))
    for r in rows:
        print(f'{r["model"]:18s} {r["profile"]:8s} {r["params"]:>10,} {r["train_windows_s"]:>12.2f} '
              f'{r["infer_frames_s"]:>15.2f} {r["rss_infer_mb"]:>14.0f} {r["rss_train_mb"]:>14.0f}')
    print(f'(peak MB = process peak RSS incl. base of ~{rows[0]["rss_base_mb"]:.0f} MB after importing torch; '
          f'train batch {BATCH_TRAIN}, infer batch {BATCH_INFER}; profiles: {PROFILES} for {WIDTH_MODELS})')
    c3 = [r for r in rows if r['model'] == 'conv3d']
    if c3: print(f'Conv3d inference {c3[0]["infer_frames_s"]:.1f} frames/s: '
                 f'{"meets" if c3[0]["infer_frames_s"] >= 30 else "MISSES"} the 30 frames/s target')


if __name__ == '__main__':
    main()
