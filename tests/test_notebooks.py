"""Runs every notebook's tests under pytest, so the suite ends with pytest's standard summary
line, and checks that the package and the notebooks are in sync and clean.

Notebooks are the source of truth: `nbdev_export` of the committed notebooks must reproduce
the committed `climb_smoothing/` exactly, and `nbdev_clean` must leave the notebooks unchanged.
"""
import filecmp, json, re, shutil, subprocess, sys
from pathlib import Path

import pytest
from nbdev.test import test_nb as _run_nb  # aliased: a bare `test_nb` would be collected by pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = sorted(p for p in (ROOT / 'nbs').rglob('*.ipynb')
             if not p.name.startswith(('_', '.')) and '.ipynb_checkpoints' not in p.parts)
BIN = Path(sys.executable).parent


@pytest.mark.parametrize('nb', NBS, ids=[p.stem for p in NBS])
def test_notebook(nb):
    "Execute the notebook's cells (those tagged `slow` or `notest` are skipped), as nbdev_test does."
    ok, secs = _run_nb(nb, skip_flags=['slow', 'notest'], basepath=str(ROOT))
    assert ok, f'{nb.name} failed (traceback above)'


def _copy_project(dst):
    for name in ('settings.ini', 'setup.py', 'README.md'):
        shutil.copy(ROOT / name, dst / name)
    for name in ('nbs', 'climb_smoothing'):
        shutil.copytree(ROOT / name, dst / name, ignore=shutil.ignore_patterns('__pycache__'))


def _diff(a, b):
    cmp = filecmp.dircmp(a, b, ignore=['__pycache__'])
    out = [f'only in one: {n}' for n in cmp.left_only + cmp.right_only] + [f'differs: {n}' for n in cmp.diff_files]
    for sub, c in cmp.subdirs.items(): out += [f'{sub}/{x}' for x in _diff(Path(a) / sub, Path(b) / sub)]
    return out


def test_export_in_sync(tmp_path):
    "`nbdev_export` of the notebooks must leave the committed package unchanged."
    _copy_project(tmp_path)
    subprocess.run([str(BIN / 'nbdev_export')], cwd=tmp_path, check=True, capture_output=True)
    diff = _diff(ROOT / 'climb_smoothing', tmp_path / 'climb_smoothing')
    assert not diff, 'climb_smoothing/ is out of sync with nbs/ (run nbdev_export): ' + ', '.join(diff)


def test_notebooks_clean(tmp_path):
    "`nbdev_clean` must leave the committed notebooks unchanged (no outputs, no noisy metadata)."
    _copy_project(tmp_path)
    subprocess.run([str(BIN / 'nbdev_clean')], cwd=tmp_path, check=True, capture_output=True)
    diff = _diff(ROOT / 'nbs', tmp_path / 'nbs')
    assert not diff, 'notebooks are not clean (run nbdev_clean): ' + ', '.join(diff)


# The analysis notebooks write figures/ only through the atomic writer (data.savefig_atomic,
# data.write_text_atomic): a run interrupted while it writes leaves the previous figure whole.
FIGURE_NOTEBOOKS = ['20_dataset_overview', '22_figure14', '23_results', '25_noise_statistics']
_FIG_DIR = r'(?:FIG|fig_dir|out_dir)\b'   # the notebooks' names for the figures folder
IN_PLACE_WRITES = [re.compile(r'\.savefig\('),                                                       # fig.savefig(anything)
                   re.compile(rf'\.(?:to_csv|to_markdown|write_text|write_bytes)\(\s*{_FIG_DIR}'),   # df.to_csv(FIG / ...)
                   re.compile(rf'\(\s*{_FIG_DIR}\s*/[^()]*\)\s*\.(?:write_text|write_bytes|open)\('),  # (FIG / 'a.md').write_text(...)
                   re.compile(rf'\bopen\(\s*{_FIG_DIR}')]


def in_place_writes(nb_path) -> list:
    "The code of `nb_path` that writes a file of the figures folder in place (not through the atomic writer)."
    cells = json.loads(Path(nb_path).read_text())['cells']
    code = [''.join(c['source']) for c in cells if c['cell_type'] == 'code']
    return [m.group(0) for s in code for rx in IN_PLACE_WRITES for m in rx.finditer(s)]


def test_in_place_writes_are_found(tmp_path):
    "The check finds each way these notebooks used to write figures/ in place."
    src = ("fig.savefig(FIG / 'a.png', **PNG)\nagg.to_csv(out_dir / 'r.csv', index=False)\n"
           "(out_dir / 'results.md').write_text(md)\nwith open(fig_dir / 'x', 'w') as f: pass\n"
           "savefig_atomic(fig, FIG / 'a.png')\nwrite_text_atomic(out_dir / 'r.csv', agg.to_csv(index=False))\n"
           "pd.DataFrame().to_csv(cfg.run_dir / 'metrics.csv')\n")
    nb = {'cells': [{'cell_type': 'code', 'source': src.splitlines(True)}]}
    (tmp_path / 'a.ipynb').write_text(json.dumps(nb))
    assert in_place_writes(tmp_path / 'a.ipynb') == ['.savefig(', '.to_csv(out_dir', "(out_dir / 'results.md').write_text(",
                                                     'open(fig_dir']


@pytest.mark.parametrize('name', FIGURE_NOTEBOOKS)
def test_figures_written_atomically(name):
    "Every write of a figure or table into figures/ goes through data.savefig_atomic or data.write_text_atomic."
    bad = in_place_writes(ROOT / 'nbs' / f'{name}.ipynb')
    assert not bad, f'{name}.ipynb writes figures in place (use savefig_atomic / write_text_atomic): {bad}'
