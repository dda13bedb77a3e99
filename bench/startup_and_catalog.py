"""Start-up time and the catalogue cache (issue: foundation).

Targets:
- `drill --version` and `drill --help` within 1.3x `python -c "import typer"`;
- warm `drill list` over a generated 10,000-question pack within 0.3 s of `drill --version`;
- warm `drill list` over the built-in packs within 1.3x `drill --version`;
- a cold load within 1.2x PyYAML's own parse time of the same file.

Run: python bench/startup_and_catalog.py [--n 21] [--questions 10000]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import drill_cmd, median_ms, row

WORDS = ["risk", "account", "transfer", "withdrawal", "label", "feature", "drift", "latency", "model", "graph", "device", "chargeback", "threshold", "precision", "recall", "window", "stream", "batch", "wallet", "address", "token"]


def generate_pack(path: Path, n: int) -> None:
    import random

    rng = random.Random(7)

    def text(k: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(k))

    lines = ["pack: generated", "title: Generated load-test pack", "format: 1", "questions:"]
    for i in range(n):
        lines += [
            f"  - id: q{i}",
            "    round: " + rng.choice(["system-design", "mlops", "ml-modeling", "custom-round"]),
            f"    title: {text(5)}",
            "    difficulty: " + rng.choice(["easy", "medium", "hard"]),
            f"    tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]",
            "    minutes: 15",
            "    prompt: |",
            f"      {text(60)}",
            "    rubric:",
            *[f"      - point: {text(12)}\n        weight: 2\n        keywords: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]" for _ in range(5)],
            "    model_answer: |",
            f"      {text(80)}",
            f"      {text(80)}",
            "    hints:",
            f"      - {text(10)}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def yaml_parse_ms(path: Path, n: int = 3) -> float:
    import statistics

    import yaml

    text = path.read_text(encoding="utf-8")
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        yaml.load(text, Loader=yaml.CSafeLoader)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=21)
    ap.add_argument("--questions", type=int, default=10_000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="drill-bench-"))
    home = work / "home"
    env = {"DRILL_HOME": str(home)}
    try:
        typer_ms = median_ms([sys.executable, "-c", "import typer"], args.n)
        version_ms = median_ms(drill_cmd("--version"), args.n, env)
        help_ms = median_ms(drill_cmd("--help"), args.n, env)
        row('python -c "import typer"', typer_ms)
        row("drill --version", version_ms, note=f"{version_ms / typer_ms:.2f}x typer (target <= 1.3x)")
        row("drill --help", help_ms, note=f"{help_ms / typer_ms:.2f}x typer (target <= 1.3x)")

        builtin_ms = median_ms(drill_cmd("list"), args.n, env)
        row("drill list, built-in packs, warm cache", builtin_ms,
            note=f"{builtin_ms / version_ms:.2f}x --version (target <= 1.3x)")

        big = work / "big.yaml"
        generate_pack(big, args.questions)
        mb = big.stat().st_size / 1e6
        parse_ms = yaml_parse_ms(big)
        row(f"PyYAML (libyaml) parse of {args.questions} questions, {mb:.1f} MB", parse_ms)
        colds = []
        for _ in range(3):
            shutil.rmtree(home / "cache", ignore_errors=True)
            colds.append(median_ms(drill_cmd("list", "--json", "--pack", str(big)), 1, env, warmup=0))
        cold_ms = sorted(colds)[1]
        row("drill list --pack big, cold cache", cold_ms, note=f"{cold_ms / parse_ms:.2f}x PyYAML parse (target <= 1.2x)")
        for fmt in ([], ["--json"]):
            warm_ms = median_ms(drill_cmd("list", *fmt, "--pack", str(big)), args.n, env)
            row(f"drill list {' '.join(fmt)} --pack big, warm cache".replace("  ", " "), warm_ms,
                note=f"+{(warm_ms - version_ms) / 1000:.3f} s over --version (target <= 0.3 s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
