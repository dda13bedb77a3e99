"""How long `drill packs audit --mutants` takes, per sandbox mode and number of jobs.

Run: python bench/audit_speed.py [PACK...] [--jobs 2 4] [--sandbox auto none]

Prints, per (sandbox, jobs), the wall time of a full mutant audit of the given packs
(default: the built-in coding packs) and the mutants run per second. The audit's default
sandbox (drill.packs.audit.DEFAULT_SANDBOX) and its --jobs default should follow these figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("packs", nargs="*", default=["coding-ml", "coding-algo"])
    ap.add_argument("--jobs", type=int, nargs="+", default=[os.cpu_count() or 1])
    ap.add_argument("--sandbox", nargs="+", default=["auto", "none"])
    args = ap.parse_args()
    os.environ.setdefault("DRILL_HOME", tempfile.mkdtemp(prefix="drill-bench-"))
    from drill.packs.audit import audit

    print(f"{os.cpu_count()} CPUs; packs: {', '.join(args.packs)}")
    for sandbox in args.sandbox:
        for jobs in args.jobs:
            t0 = time.perf_counter()
            res = audit(args.packs, mutants=True, jobs=jobs, sandbox=sandbox)
            wall = time.perf_counter() - t0
            n = sum(q.mutants for p in res.packs for q in p.questions)
            row(f"audit --mutants, sandbox {sandbox} ({res.sandbox}), jobs {jobs}", wall, "s",
                f"{n} mutants, {n / wall:.1f}/s, ok={res.ok}")


if __name__ == "__main__":
    main()
