"""Conv3d with the 'local_centroid' read-out in the main job's setting (quick profile, seed 0, setup 1.1): pretraining,
then finetuning on the estimator-like data, as `scripts/main.sh` runs them — to compare with the Conv3d rows of
figures/results.csv (whole-map centroid, the default). Run folders go to --out (not the main job's runs/quick).

    .venv/bin/python benchmarks/bench_local_centroid.py        # ~5 min on 2 cores
"""
from pathlib import Path
from fastcore.script import call_parse
from climb_smoothing.experiments import profile_config, profile_finetune_config, execute_run, run_summary


@call_parse
def main(readout: str = 'local_centroid',        # models.READOUTS
         setup: str = '1.1',
         out: str = 'runs/local_centroid'):
    "Pretrain and finetune one Conv3d with `readout`; print both runs' test metrics."
    out = str(Path(out).resolve())                      # the run notebook works inside the run folder
    pre = profile_config('quick', 'conv3d', setup, out_dir=out, model_kwargs={'readout': readout}, name=f'conv3d_{setup}_{readout}')
    for stage in ('pretraining', 'finetuning'):
        cfg = pre if stage == 'pretraining' else profile_finetune_config('quick', pre.run_dir)
        r = execute_run(cfg, threads=2)
        if r['result'] == 'failed': raise SystemExit(f"{r['name']}: {r['error']}")
        s = run_summary(r['run_dir'])
        print(stage, ' '.join(f"{k[5:]} {v:.4f}" for k, v in s.items() if k.startswith('test_')), flush=True)
