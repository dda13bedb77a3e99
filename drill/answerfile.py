"""Reading a candidate's answer file: bounded, UTF-8, one clear error when it cannot be.

Shared by `drill check` and the round's take-home screen (and mirrored, without errors,
by drill.judge.prelaunch, which must not import anything before the command line).
"""

from __future__ import annotations

from pathlib import Path

from drill.errors import InputError

ANSWER_CAP = 1 << 20  # an answer file larger than this is surely not an answer


def read_answer(path: Path) -> str:
    """The answer's text (a leading BOM dropped); InputError when it cannot be read."""
    try:
        with open(path, "rb") as f:
            raw = f.read(ANSWER_CAP + 1)
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not an answer file") from None
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror or e}") from None
    if len(raw) > ANSWER_CAP:
        raise InputError(f"{path} is over {ANSWER_CAP >> 10} KB; an answer file may be at most {ANSWER_CAP >> 10} KB")
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
