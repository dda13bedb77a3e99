"""How good rubric suggestions are: precision and recall on the labelled cases.

    python bench/suggest_quality.py

Reads tests/data/suggest_cases.yaml (answers judged by hand against built-in rubric
points, including paraphrases, negations, padded and keyword-stuffed answers) and
reports how often drill.session.suggest pre-ticks a point it should (recall) and how
often a pre-ticked point is right (precision). Targets: precision >= 0.9, recall >= 0.7.
Also times suggestions for a long answer against a full rubric.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drill.packs.catalog import pack_files  # noqa: E402
from drill.packs.packfile import load_pack  # noqa: E402
from drill.paths import builtin_questions_dir  # noqa: E402
from drill.session.suggest import suggestions  # noqa: E402


def main() -> int:
    questions = {}
    for path in pack_files(builtin_questions_dir()):
        pack = load_pack(path)
        for q in pack.questions:
            questions[f"{pack.pack}/{q.id}"] = q
    cases = yaml.safe_load((ROOT / "tests" / "data" / "suggest_cases.yaml").read_text(encoding="utf-8"))
    tp = fp = fn = tn = 0
    for c in cases:
        hit = suggestions(c["answer"], questions[c["uid"]].rubric)[c["point"]].hit
        tp += hit and c["tick"]
        fp += hit and not c["tick"]
        fn += (not hit) and c["tick"]
        tn += (not hit) and not c["tick"]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"{len(cases)} labelled cases ({tp + fn} should tick, {fp + tn} should not)")
    print(f"precision {precision:.3f}  (target >= 0.9; {fp} wrong suggestion(s))")
    print(f"recall    {recall:.3f}  (target >= 0.7; {fn} missed)")
    q = questions["system-design/withdrawal-scoring"]
    times = []
    for _ in range(21):
        t0 = time.perf_counter()
        suggestions(q.model_answer * 5, q.rubric)
        times.append((time.perf_counter() - t0) * 1000)
    words = len((q.model_answer * 5).split())
    print(f"suggesting for a {words}-word answer, 8 points: median {statistics.median(times):.1f} ms")
    return 0 if precision >= 0.9 and recall >= 0.7 else 1


if __name__ == "__main__":
    sys.exit(main())
