"""The built-in numpy pack, checked without the numpy judge: tools/check_numpy_pack.py builds
every case's arrays as the pack format says, runs each reference and an independent answer
(tests/fixtures/independent/coding-numpy) in a forked child under a memory limit, compares
with the question's tolerances, requires every plausible wrong answer in
tools/numpy_wrong_variants.py to fail a hidden case, and checks the gradients the
questions define against finite differences."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("numpy")

ROOT = Path(__file__).resolve().parent.parent


def test_references_independent_answers_and_wrong_answers():
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "check_numpy_pack.py")],
                         capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "all checks passed" in run.stdout
    # all 13 questions were checked
    assert run.stdout.count("'qid': ") == 13, run.stdout[-4000:]
