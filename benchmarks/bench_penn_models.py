"""Penn Action benchmark of the learned models against their noisy input and the tuned smoothers (issue 8).

For every setup × seed: the by-sequence split of the shared Penn Action labels, the sequence protocol on
whole test sequences, the input and every smoother of `smoothers.SMOOTHERS` (full-track and same-window,
tuned on validation for PCK@0.1), and each model trained with the workbook's options (`--variants workbook`)
and/or exactly as SPEC §5 writes them (`--variants as_written`, the ablation). Runs are ordinary run folders
under `--runs-dir` (interrupted ones resume, finished ones are read back), so a rerun only does what is
missing. Writes `<out>.csv` (mean ± sd over seeds per setup and method, as figures/results.csv) and
`<out>.png`, atomically.

    .venv/bin/python benchmarks/bench_penn_models.py                        # all models, setups 1.1 2.1 1.3, seeds 0 1 2
    .venv/bin/python benchmarks/bench_penn_models.py --models conv3d --setups 1.1 --seeds 0 --variants "workbook as_written" --out figures/ablation
"""
import json, os, sys, time
from pathlib import Path

import numpy as np, pandas as pd
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import torch
from fastcore.script import call_parse

from climb_smoothing.data import atomic_write, repo_root
from climb_smoothing.models import AS_WRITTEN
from climb_smoothing.train import RunConfig, train_run, run_datasets
from climb_smoothing.experiments import MODEL_ORDER, METRICS, baseline_rows, _split

PENN_FPS = 30.0
# The CPU budget of each model on Penn Action (RunConfig fields): the same data and evaluation for all;
# the learning rate per model is the one that measured best on validation (see nbs/26_ablation).
BUDGET = dict(epochs=10, max_train_windows=320, max_eval_windows=1200, batch_size=16, lr_patience=3, stop_patience=5)
PER_MODEL = {'conv3d': dict(lr=3e-3),
             'biconvlstm_sum': dict(lr=3e-3, hidden=16, width=16),
             'biconvlstm_concat': dict(lr=3e-3, hidden=16, width=16),
             'deciwatch': dict(lr=1e-3, max_train_windows=1024,
                               model_kwargs=dict(embed=32, ff=64, enc_layers=2, dec_layers=2, interval=1))}
VARIANTS = ('workbook', 'as_written')


def run_config(model: str, setup: str, seed: int, variant: str, runs_dir: Path, **overrides) -> RunConfig:
    "The `RunConfig` of one benchmark run: Penn Action, the budget, the model's settings, the variant's options."
    kw = {**BUDGET, **PER_MODEL.get(model, {}), **overrides}
    if variant == 'as_written': kw['model_kwargs'] = {**kw.get('model_kwargs', {}), **AS_WRITTEN[model]}
    name = f'{model}_{setup}_s{seed}' + ('' if variant == 'workbook' else f'_{variant}')
    return RunConfig(model=model, setup=setup, data='penn_action', seed=seed, out_dir=str(runs_dir), name=name, **kw)


def baselines(cfg: RunConfig, runs_dir: Path) -> list:
    "Input and smoother rows on `cfg`'s data (cached in the runs folder: they depend only on setup and seed)."
    path = runs_dir / f'baselines_{cfg.setup}_s{cfg.seed}_{cfg.max_eval_windows}.json'
    if path.exists(): return json.loads(path.read_text())
    rows = baseline_rows(cfg, PENN_FPS, 'pck@0.1', run_datasets(cfg))
    atomic_write(path, lambda f: f.write(json.dumps(rows, indent=1).encode()))
    return rows


def aggregate(long: pd.DataFrame) -> pd.DataFrame:
    "Mean and sample sd over seeds per (setup, method), with n_seeds: the columns of figures/results.csv."
    agg = long.groupby(['setup', 'method'], sort=False)[list(METRICS)].agg(['mean', 'std'])
    agg.columns = [f'{m}_{s}' for m, s in agg.columns]
    agg['n_seeds'] = long.groupby(['setup', 'method'], sort=False).size()
    return agg.reset_index()


def plot(agg: pd.DataFrame, path: Path):
    "PCK@0.1 and acceleration error per setup and method, mean ± sd over seeds."
    methods = list(dict.fromkeys(agg.method)); setups = list(dict.fromkeys(agg.setup))
    fig, axes = plt.subplots(1, 2, figsize=(14, 4.5))
    w = 0.8 / len(methods)
    for ax, metric in zip(axes, ('pck@0.1', 'accel_error')):
        for j, m in enumerate(methods):
            d = agg[agg.method == m].set_index('setup').reindex(setups)
            ax.bar(np.arange(len(setups)) + j * w, d[f'{metric}_mean'], w, yerr=d[f'{metric}_std'].fillna(0), label=m,
                   color=plt.cm.tab20(j % 20))
        ax.set_xticks(np.arange(len(setups)) + 0.4 - w / 2, setups); ax.set_xlabel('setup'); ax.set_title(f'test {metric}')
    axes[1].set_yscale('log'); axes[0].legend(fontsize=7, ncol=2)
    fig.suptitle('Penn Action, by-sequence test split, sequence protocol (mean ± sd over seeds)')
    fig.tight_layout()
    atomic_write(path, lambda f: fig.savefig(f, format='png', dpi=90)); plt.close(fig)


@call_parse
def main(models: str = ' '.join(MODEL_ORDER),   # models to train
         setups: str = '1.1 2.1 1.3',            # noise setups
         seeds: str = '0 1 2',                    # seeds (data split, noise and initialisation)
         variants: str = 'workbook',              # 'workbook' and/or 'as_written' (SPEC §5 exactly)
         runs_dir: str = 'runs/penn',             # run folders (resumable)
         out: str = 'figures/penn_models',        # writes <out>.csv and <out>.png
         overrides: str = '',                     # further RunConfig fields as JSON, e.g. '{"epochs": 2}'
         threads: int = 2):                       # torch threads
    "Train and evaluate the models on Penn Action against their input and the tuned smoothers."
    torch.set_num_threads(threads)
    root = repo_root(); runs = root / runs_dir; runs.mkdir(parents=True, exist_ok=True)
    ov = json.loads(overrides) if overrides else {}
    for v in _split(variants):
        if v not in VARIANTS: sys.exit(f'bench_penn_models: unknown variant {v!r}; choose from {list(VARIANTS)}')
    rows, t_start = [], time.time()
    for setup in _split(setups):
        for seed in map(int, _split(seeds)):
            first = run_config(_split(models)[0], setup, seed, 'workbook', runs, **ov)
            t0 = time.time()
            rows += [dict(setup=setup, seed=seed, **r) for r in baselines(first, runs)]
            print(f'{setup} seed {seed}: baselines {time.time() - t0:.0f} s', flush=True)
            for model in _split(models):
                for v in _split(variants):
                    cfg = run_config(model, setup, seed, v, runs, **ov)
                    t0 = time.time(); d = train_run(cfg, progress=False)
                    res = json.loads((d / 'test_metrics.json').read_text())
                    cpu = float(pd.read_csv(d / 'metrics.csv')['seconds'].sum())
                    method = model if v == 'workbook' else f'{model} ({v.replace("_", " ")})'
                    rows.append(dict(setup=setup, seed=seed, method=method, train_seconds=cpu, **{k: res[k] for k in METRICS}))
                    print(f'{setup} seed {seed}: {method:32s} PCK@0.1 {res["pck@0.1"]:.3f} accel {res["accel_error"]:.3f} '
                          f'({res["epochs"]} epochs, {cpu:.0f} s training, {time.time() - t0:.0f} s here)', flush=True)
    long = pd.DataFrame(rows)
    agg = aggregate(long)
    secs = long.dropna(subset=['train_seconds']).groupby('method')['train_seconds'].mean() if 'train_seconds' in long else None
    if secs is not None: agg['train_seconds_mean'] = agg.method.map(secs)
    out_p = root / out
    out_p.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out_p.with_suffix('.csv'), lambda f: f.write(agg.to_csv(index=False, float_format='%.4f').encode()))
    plot(agg, out_p.with_suffix('.png'))
    with pd.option_context('display.width', 220, 'display.max_rows', 200):
        print(agg[['setup', 'method', 'n_seeds'] + [f'{m}_mean' for m in ('pck@0.05', 'pck@0.1', 'pck@0.2', 'accel_error')]].round(3).to_string(index=False))
    print(f'wrote {out_p.with_suffix(".csv")} and .png in {(time.time() - t_start) / 60:.1f} min')
