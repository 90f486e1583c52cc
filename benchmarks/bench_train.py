"""Short training of each of the four models on the Penn Action labels, setup 1.1, CPU profile.

Each model is trained with the project's trainer (`climb_smoothing.train.train_run`) at narrow widths
on a subset of the sequences and a random subset of the training windows per epoch, then evaluated on
whole test sequences with the sequence protocol. The script prints the test PCK@0.1 (and the other
metrics) of the unsmoothed noisy input and of each model; the SPEC's check is that every model beats the
noisy input's PCK@0.1.

    .venv/bin/python benchmarks/bench_train.py [--out runs/bench_train] [--models conv3d,deciwatch] [--threads 2]

Runs are ordinary run folders under --out (gitignored `runs/`), so a second call reuses finished runs
(delete the folder to retrain). Train speed per step is measured in benchmarks/bench_models.py.

Measured (2026-11-24, 2-core CPU shared with other jobs, torch 2.13 CPU; conv3d trained with 2 threads,
the other three with `--threads 1` as three parallel processes, then the table printed by
`.venv/bin/python benchmarks/bench_train.py --out /tmp/bench/r3 --threads 1`, which reused the runs):

    model                        frames  PCK@0.05   PCK@0.1   PCK@0.2   px err    accel epochs s  beats input@0.1
    noisy input (same frames)       308    0.0484    0.2101    0.7559    2.780    6.546
    conv3d                          308    0.1737    0.5296    0.9348    1.941    4.451      602  yes
    biconvlstm_sum                  308    0.1323    0.4574    0.9278    2.037    4.685      457  yes
    biconvlstm_concat               308    0.1472    0.4881    0.9297    1.966    4.527      437  yes
    deciwatch                       308    0.0647    0.2483    0.7005    2.873    5.416      415  yes

A fresh sequential run on the calm machine (`.venv/bin/python benchmarks/bench_train.py --out /tmp/bench_final`,
3 min 47 s wall in all, torch's 2 threads) gave the same input row and conv3d 0.5296, biconvlstm_sum 0.4588,
biconvlstm_concat 0.4886, deciwatch 0.2576 at PCK@0.1 (epochs s: 75, 45, 44, 36), every model above the input.

"epochs s" is the wall time of training + validation recorded in metrics.csv, inflated several-fold by
the machine's load (load average 5-10 on 2 cores). Tuning notes: the BiConvLSTMs at lr 1e-3, batch 16
reached only val PCK@0.2 0.56 after 16 steps, so they use batch 8 and lr 3e-3 (60 steps); DeciWatch with
its default dropout 0.1 ended at test PCK@0.1 0.217 after 10 epochs of 640 windows (barely above the
input's 0.210, PCK@0.2 0.644), with dropout 0 and 12 epochs of 800 windows at 0.248.
DeciWatch is the weakest model here, as in the thesis (§5.2.3); its PCK@0.2 stays below the input's.
"""
import argparse, json, time
import pandas as pd
from pathlib import Path
import torch
from climb_smoothing.runs import RunConfig, run_status
from climb_smoothing.inference import evaluate_sequences
from climb_smoothing.train import Trainer, train_run

ROOT = Path(__file__).resolve().parents[1]

# The CPU profile: one place to read (and tune) every number of the benchmark.
COMMON = dict(setup='1.1', data='penn_action', max_sequences=60, split='sequence', seed=0, batch_size=16, lr=1e-3,
              max_eval_windows=300)   # validation subset, and whole test sequences up to 300 windows (the same for every model)
PER_MODEL = {
    'conv3d':            dict(epochs=4, max_train_windows=640),
    'biconvlstm_sum':    dict(epochs=3, hidden=16, width=16, batch_size=8, lr=3e-3, max_train_windows=160),
    'biconvlstm_concat': dict(epochs=3, hidden=16, width=16, batch_size=8, lr=3e-3, max_train_windows=160),
    'deciwatch':         dict(epochs=12, max_train_windows=800,
                              model_kwargs=dict(embed=64, ff=128, enc_layers=2, dec_layers=2, dropout=0.0)),
}

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default=str(ROOT / 'runs' / 'bench_train'))
    p.add_argument('--models', default=','.join(PER_MODEL))
    p.add_argument('--threads', type=int, default=0, help='torch.set_num_threads (0 = torch default)')
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads; profile {json.dumps(COMMON)}')
    rows = []
    for name in a.models.split(','):
        cfg = RunConfig(model=name, out_dir=a.out, **{**COMMON, **PER_MODEL[name]})
        t0 = time.time()
        was = run_status(cfg.run_dir)
        train_run(cfg, progress=True)
        secs = time.time() - t0
        res = json.loads((cfg.run_dir / 'test_metrics.json').read_text())
        # the noisy input on the same test windows (the split is the same for every model: same seed and data;
        # the test subset of whole sequences depends on max_eval_windows, so it is computed per model)
        baseline = evaluate_sequences(None, Trainer(cfg, progress=False).test_set())
        epoch_secs = float(pd.read_csv(cfg.run_dir / 'metrics.csv')['seconds'].sum())   # training + validation, as recorded
        rows.append((name, res, baseline, epoch_secs))
        print(f'{name}: {secs:.0f} s ({"reused" if was == "finished" else "trained"}), best epoch {res["best_epoch"]}/{res["epochs"]}: '
              + ', '.join(f'{k} {res[k]:.4f}' for k in ('pck@0.05', 'pck@0.1', 'pck@0.2', 'px_error', 'accel_error')), flush=True)
    print(f'\nsetup 1.1, test metrics with the sequence protocol; each model beside the noisy input on the same test frames')
    print(f'{"model":28s} {"frames":>6s} {"PCK@0.05":>9s} {"PCK@0.1":>9s} {"PCK@0.2":>9s} {"px err":>8s} {"accel":>8s} {"epochs s":>8s}  beats input@0.1')
    fmt = lambda r: f'{r["n_frames"]:6d} {r["pck@0.05"]:9.4f} {r["pck@0.1"]:9.4f} {r["pck@0.2"]:9.4f} {r["px_error"]:8.3f} {r["accel_error"]:8.3f}'
    ok, last = True, None
    for name, r, base, secs in rows:
        beats = r['pck@0.1'] > base['pck@0.1']; ok &= beats
        if base != last: print(f'{"noisy input (same frames)":28s} {fmt(base)}'); last = base
        print(f'{name:28s} {fmt(r)} {secs:8.0f}  {"yes" if beats else "NO"}')
    print('every model beats the noisy input at PCK@0.1' if ok else 'SOME MODEL DOES NOT BEAT THE NOISY INPUT')

if __name__ == '__main__': main()
