"""Every test gets its own data folder: the real one is never touched."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DRILL = [sys.executable, "-m", "drill"]


@pytest.fixture(autouse=True)
def drill_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "drill-home"
    monkeypatch.setenv("DRILL_HOME", str(home))
    monkeypatch.delenv("DRILL_PACKS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    return home


@pytest.fixture
def cli():
    """Invoke the typer app in-process; returns (exit_code, stdout, stderr)."""
    from typer.testing import CliRunner

    from drill.cli import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        r = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return r.exit_code, r.stdout, r.stderr

    return invoke


def run_drill(*args: str, env: dict | None = None, cwd: Path | None = None, timeout: float = 60):
    """Run the real `python -m drill` in a subprocess."""
    import subprocess

    e = {**os.environ, **(env or {})}
    return subprocess.run([*DRILL, *args], capture_output=True, text=True, env=e, cwd=cwd, timeout=timeout)


@pytest.fixture
def session_pack(tmp_path: Path) -> Path:
    """A pack with one small question of each kind (tests/sessionkit.py)."""
    import textwrap

    from tests.sessionkit import PACK

    p = tmp_path / "t.yaml"
    p.write_text(textwrap.dedent(PACK), encoding="utf-8")
    return p


@pytest.fixture
def stages_pack(tmp_path: Path) -> Path:
    """An open question with two follow-up probes and a code question with two parts
    (tests/sessionkit.py), with the parts' reference solutions."""
    from tests.sessionkit import STAGES_PACK, STAGES_SOLUTIONS

    (tmp_path / "sol").mkdir(exist_ok=True)
    for name, text in STAGES_SOLUTIONS.items():
        (tmp_path / "sol" / name).write_text(text, encoding="utf-8")
    p = tmp_path / "s.yaml"
    p.write_text(STAGES_PACK, encoding="utf-8")
    return p
