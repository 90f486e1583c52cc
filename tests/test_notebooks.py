"""Runs every notebook's tests under pytest, so the suite ends with pytest's standard summary
line, and checks that the package and the notebooks are in sync and clean.

Notebooks are the source of truth: `nbdev_export` of the committed notebooks must reproduce
the committed `climb_smoothing/` exactly, and `nbdev_clean` must leave the notebooks unchanged.
"""
import filecmp, shutil, subprocess, sys
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
