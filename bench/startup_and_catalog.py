"""Start-up time, the catalogue cache and shell completion, every figure interleaved.

Targets:
- `drill --version` and `drill --help` within 1.3x `python -c "import typer"`;
- warm `drill list` over the built-in packs within 1.3x `drill --version`;
- warm `drill list` over a generated 10,000-question pack within 0.3 s of `drill --version`;
- completing a question uid (bash) about as fast as `drill list`;
- a cold load within 1.2x PyYAML's own parse time of the same file (also interleaved:
  the catalogue cache is removed before each cold run, and PyYAML parses in a fresh
  process, as drill does).

All commands of a group run turn about with the order rotated each round (bench/_timing.py)
and are reported as medians with min-max and per-run ratios.

Run: python bench/startup_and_catalog.py [--n 21] [--questions 10000] [--cold-runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import drill_cmd, interleaved, machine_note, ratio

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


TYPER = 'python -c "import typer"'
YAML_PARSE = "import sys, yaml; yaml.load(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=21)
    ap.add_argument("--questions", type=int, default=10_000)
    ap.add_argument("--cold-runs", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="drill-bench-"))
    home = work / "home"
    env = {"DRILL_HOME": str(home)}
    try:
        big = work / "big.yaml"
        generate_pack(big, args.questions)
        mb = big.stat().st_size / 1e6
        complete = {"_DRILL_COMPLETE": "complete_bash", "COMP_WORDS": "drill check sql/", "COMP_CWORD": "2"}
        cmds = {
            TYPER: [sys.executable, "-c", "import typer"],
            "drill --version": drill_cmd("--version"),
            "drill --help": drill_cmd("--help"),
            "drill list (built-in packs, warm)": drill_cmd("list"),
            "completing `drill check sql/` (bash)": drill_cmd(),
            f"drill list --pack big ({args.questions:,} q, warm)": drill_cmd("list", "--pack", str(big)),
            "drill list --json --pack big (warm)": drill_cmd("list", "--json", "--pack", str(big)),
        }
        # The big pack's commands keep their own data folder: its catalogue cache holds the
        # big pack too, and `drill list` over the built-in packs must not read that.
        big_home = {"DRILL_HOME": str(work / "home-big")}
        envs = {name: big_home for name in list(cmds)[-2:]}
        envs["completing `drill check sql/` (bash)"] = complete
        t = interleaved(cmds, args.n, env=env, envs=envs)
        print(machine_note(args.n))
        typer_t, version = t[TYPER], t["drill --version"]
        for name in ("drill --version", "drill --help"):
            print(f"{name:<46} {t[name].show()} = {ratio(t[name], typer_t)} typer (target <= 1.3x)")
        print(f"{TYPER:<46} {typer_t.show()}")
        listing = t["drill list (built-in packs, warm)"]
        print(f"{'drill list (built-in packs, warm)':<46} {listing.show()} = {ratio(listing, version)} --version "
              "(target <= 1.3x)")
        comp = t["completing `drill check sql/` (bash)"]
        print(f"{'completing `drill check sql/` (bash)':<46} {comp.show()} = {ratio(comp, listing)} drill list")
        for name in list(cmds)[-2:]:
            over = [(a - b) / 1000 for a, b in zip(t[name].times, version.times, strict=True)]
            print(f"{name:<46} {t[name].show()} = +{(t[name].median - version.median) / 1000:.3f} s over --version "
                  f"(per-run {min(over):+.3f} to {max(over):+.3f} s; target <= +0.3 s)")

        cache = work / "home-big" / "cache"
        parse_name, cold_name = f"PyYAML (libyaml) parse, {mb:.1f} MB", "drill list --json --pack big, cold cache"
        cold = {
            parse_name: [sys.executable, "-c", YAML_PARSE, str(big)],
            cold_name: ["sh", "-c", 'rm -rf "$0" && exec "$@"', str(cache), *drill_cmd("list", "--json", "--pack", str(big))],
        }
        c = interleaved(cold, args.cold_runs, env=big_home, warmup=0)
        print(machine_note(args.cold_runs))
        print(f"{parse_name:<46} {c[parse_name].show()}")
        print(f"{cold_name:<46} {c[cold_name].show()} = {ratio(c[cold_name], c[parse_name])} PyYAML (target <= 1.2x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
