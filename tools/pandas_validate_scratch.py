"""Validate questions/coding-pandas.yaml with today's `drill packs validate`, which does not
know the numpy/pandas keys yet: copy the pack to a scratch tree without `arguments`,
`returns` and the new `compare` options, then run the validator on the copy.

    .venv/bin/python tools/pandas_validate_scratch.py [SCRATCH_DIR]
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEW_COMPARE = ("ignore_row_order", "ignore_index", "ignore_column_order", "ignore_dtype_width", "strict_types")


def strip(text: str) -> str:
    out, skipping = [], False
    for line in text.split("\n"):
        if skipping and (line.startswith("      ") or not line.strip()):
            continue
        skipping = False
        if re.match(r"^    arguments:", line):
            skipping = True
            continue
        if re.match(r"^    returns:", line):
            continue
        if line.startswith("    compare: {"):
            items = [i.strip() for i in line.split("{", 1)[1].rstrip("}").split(",")]
            items = [i for i in items if i.split(":")[0].strip() not in NEW_COMPARE]
            line = "    compare: {" + ", ".join(items) + "}"
        out.append(line)
    return "\n".join(out)


def main() -> int:
    scratch = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="pandas-validate-"))
    (scratch / "questions").mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "questions" / "coding-pandas", scratch / "questions" / "coding-pandas", dirs_exist_ok=True)
    shutil.copytree(ROOT / "solutions" / "coding", scratch / "solutions" / "coding", dirs_exist_ok=True)
    text = (ROOT / "questions" / "coding-pandas.yaml").read_text(encoding="utf-8")
    stripped = strip(text)
    assert "arguments:" not in stripped and "returns:" not in stripped
    target = scratch / "questions" / "coding-pandas.yaml"
    target.write_text(stripped, encoding="utf-8")
    drill = ROOT / ".venv" / "bin" / "drill"
    done = subprocess.run([str(drill), "packs", "validate", str(target)], capture_output=True, text=True)
    print(done.stdout + done.stderr, end="")
    print(f"(validated {target}; exit {done.returncode})")
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
