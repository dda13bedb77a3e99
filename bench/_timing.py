"""Shared helpers for the benchmarks: run a command N times, report the median wall time."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
DRILL = str(VENV_BIN / "drill") if (VENV_BIN / "drill").exists() else None


def drill_cmd(*args: str) -> list[str]:
    return [DRILL, *args] if DRILL else [sys.executable, "-m", "drill", *args]


def median_ms(cmd: list[str], n: int = 21, env: dict | None = None, warmup: int = 2,
              check: bool = True) -> float:
    e = {**os.environ, **(env or {})}
    times = []
    for i in range(warmup + n):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, env=e, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        dt = (time.perf_counter() - t0) * 1000
        if check and r.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr.decode()[-500:]}")
        if i >= warmup:
            times.append(dt)
    return statistics.median(times)


def row(name: str, value: float, unit: str = "ms", note: str = "") -> None:
    print(f"{name:<58} {value:>9.1f} {unit}  {note}")
