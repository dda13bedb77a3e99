"""Where drill keeps its data, and where the built-in packs live."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def drill_home() -> Path:
    """The data folder: $DRILL_HOME, else the platform's user data folder."""
    env = os.environ.get("DRILL_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("drill", appauthor=False))


def builtin_questions_dir() -> Path:
    # In a wheel the packs are shipped inside the package; in a checkout they sit beside it.
    inside = PACKAGE_DIR / "questions"
    return inside if inside.is_dir() else PACKAGE_DIR.parent / "questions"


def user_packs_dir() -> Path:
    return drill_home() / "packs"


def cache_dir() -> Path:
    return drill_home() / "cache"


def db_path() -> Path:
    return drill_home() / "drill.db"


def workspace_dir() -> Path:
    return drill_home() / "workspace"
