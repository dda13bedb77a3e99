"""Shared helpers for the benchmarks: interleaved runs, medians with min-max.

Commands compared with each other are run interleaved (A B C, then B C A, then C A B, ...)
so that a noisy stretch of the machine lands on all of them alike, and each is reported
as its median with the min-max of its runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
DRILL = str(VENV_BIN / "drill") if (VENV_BIN / "drill").exists() else None


def drill_cmd(*args: str) -> list[str]:
    return [DRILL, *args] if DRILL else [sys.executable, "-m", "drill", *args]


@dataclass
class Timing:
    """Wall times of one command, in ms."""

    times: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def low(self) -> float:
        return min(self.times)

    @property
    def high(self) -> float:
        return max(self.times)

    def show(self) -> str:
        return f"{self.median:8.1f} ms (min {self.low:.1f}, max {self.high:.1f})"


def run_once(cmd: list[str], env: dict | None = None, check: bool = True,
             cwd: str | None = None) -> float:
    e = {**os.environ, **(env or {})}
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=e, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    dt = (time.perf_counter() - t0) * 1000
    if check and r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.decode()[-500:]}")
    return dt


def interleaved(cmds: dict[str, list[str]], runs: int = 21, env: dict | None = None,
                warmup: int = 2, check: bool | dict[str, bool] = True,
                envs: dict[str, dict] | None = None) -> dict[str, Timing]:
    """Run every command `runs` times, interleaved with the order rotated each round."""
    names = list(cmds)
    out: dict[str, list[float]] = {n: [] for n in names}

    def one(n: str) -> float:
        ok = check[n] if isinstance(check, dict) else check
        return run_once(cmds[n], {**(env or {}), **((envs or {}).get(n) or {})}, ok)

    for _ in range(warmup):
        for n in names:
            one(n)
    for i in range(runs):
        k = i % len(names)
        for n in names[k:] + names[:k]:
            out[n].append(one(n))
    return {n: Timing(t) for n, t in out.items()}


def ratio(a: Timing, b: Timing) -> str:
    """a / b as a median ratio with the range of per-round ratios."""
    rs = [x / y for x, y in zip(a.times, b.times, strict=True)]
    return f"{a.median / b.median:.2f}x (per-run {min(rs):.2f}-{max(rs):.2f}x)"


def machine_note(runs: int) -> str:
    return (f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; "
            f"{runs} interleaved runs each")


def median_ms(cmd: list[str], n: int = 21, env: dict | None = None, warmup: int = 2,
              check: bool = True) -> float:
    """The median of one command alone (for figures that compare with nothing)."""
    return interleaved({"cmd": cmd}, n, env, warmup, check)["cmd"].median


def row(name: str, value: float, unit: str = "ms", note: str = "") -> None:
    print(f"{name:<58} {value:>9.1f} {unit}  {note}")
