"""What `drill report --html` costs beyond `drill report`, over a long history.

    python bench/report_html_speed.py [--attempts 100000] [--questions 1000] [--runs 7]

Builds the same throw-away history as bench/report_speed.py (a generated pack of N
questions, M attempts over 180 days), sets an interview date 30 days ahead so the page
has its recall curve and readiness on the day, then runs `drill report`,
`drill report --html FILE`, `drill plan` and `drill` interleaved (bench/_timing.py).
Target: --html at most 2 s beyond `drill report`. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import drill_cmd, interleaved, machine_note
from report_speed import make_history


def cpu_seconds(cmd: list[str], env: dict, runs: int) -> float:
    """The median user + system CPU time of `cmd` over `runs` runs."""
    out = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--attempts", type=int, default=100_000)
    ap.add_argument("--questions", type=int, default=1_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--keep", action="store_true", help="keep the generated data folder")
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="drill-bench-html-"))
    try:
        measure(home, args)
    finally:
        if args.keep:
            print(f"(data kept in {home})")
        else:
            shutil.rmtree(home, ignore_errors=True)


def measure(home: Path, args: argparse.Namespace) -> None:
    h = make_history(home, args.attempts, args.questions)
    env = {"DRILL_HOME": str(home), "COLUMNS": "100"}
    day = (date.today() + timedelta(days=30)).isoformat()
    interleaved({"plan": drill_cmd("plan", "--interview", day)}, runs=1, env=env, warmup=0)
    page = home / "report.html"
    cmds = {
        "drill report": drill_cmd("report"),
        "drill report --html": drill_cmd("report", "--html", str(page)),
        "drill plan": drill_cmd("plan"),
        "drill (dashboard)": drill_cmd(),
    }
    t = interleaved(cmds, runs=args.runs, env=env)
    print(f"history: {h['total']} attempts, {args.questions} questions, db {h['db_mb']:.1f} MB; "
          f"interview {day}")
    for name, timing in t.items():
        print(f"{name:<22} {timing.show()}")
    extra = [h - r for h, r in zip(t["drill report --html"].times, t["drill report"].times, strict=True)]
    extra.sort()
    print(f"--html beyond report: median {extra[len(extra) // 2] / 1000:.2f} s "
          f"(per-round {extra[0] / 1000:.2f}-{extra[-1] / 1000:.2f} s; target <= 2 s); "
          f"page {page.stat().st_size / 1024:.0f} KB")
    # CPU time (user + system) moves far less than wall time on a shared machine.
    cpu = {n: cpu_seconds(cmds[n], {**os.environ, **env}, args.runs) for n in ("drill report", "drill report --html")}
    print(f"CPU time: report {cpu['drill report']:.2f} s, --html {cpu['drill report --html']:.2f} s "
          f"(+{cpu['drill report --html'] - cpu['drill report']:.2f} s), medians of {args.runs}")
    print(machine_note(args.runs))


if __name__ == "__main__":
    main()
