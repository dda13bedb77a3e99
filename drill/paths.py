"""Where drill keeps its data, and where the built-in packs live.

pathlib is imported only when a Path is asked for: `drill check` reads a few files here
(`home_dir`, `cache_file`, `package_dir`) before it has started its judge, and that path
has no time for it.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # nor typing
if TYPE_CHECKING:
    from pathlib import Path

    PACKAGE_DIR: Path


def __getattr__(name: str):
    if name == "PACKAGE_DIR":
        from pathlib import Path

        return Path(package_dir())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def package_dir() -> str:
    """The `drill` package's folder, resolved."""
    return os.path.dirname(os.path.realpath(__file__))


def home_dir() -> str:
    """The data folder: $DRILL_HOME, else the platform's user data folder."""
    env = os.environ.get("DRILL_HOME")
    if env:
        return os.path.expanduser(env)
    return user_data_folder()


def user_data_folder() -> str:
    """platformdirs.user_data_dir("drill", appauthor=False). On Linux its usual answers are
    worked out here ($XDG_DATA_HOME/drill when that is an absolute path, else
    ~/.local/share/drill when $HOME is one): importing platformdirs takes some 10 ms, on the
    path of every command that reads the data folder, `drill check` before its judge
    starts among them. Anything else (another system, a relative or blank setting) is
    platformdirs' to answer; tests/test_paths.py holds the two to the same folder."""
    if sys.platform.startswith("linux"):
        xdg = os.environ.get("XDG_DATA_HOME", "")
        home = os.environ.get("HOME", "")
        if xdg and os.path.isabs(xdg):
            return os.path.join(xdg, "drill")
        if not xdg and os.path.isabs(home):
            return os.path.join(home.rstrip("/") or "/", ".local", "share", "drill")
    from platformdirs import user_data_dir

    return user_data_dir("drill", appauthor=False)


def cache_file(name: str) -> str:
    """A file in the data folder's cache (which may not exist yet)."""
    return os.path.join(home_dir(), "cache", name)


def builtin_questions_path() -> str:
    # In a wheel the packs are shipped inside the package; in a checkout they sit beside it.
    inside = os.path.join(package_dir(), "questions")
    return inside if os.path.isdir(inside) else os.path.join(os.path.dirname(package_dir()), "questions")


def drill_home() -> Path:
    """The data folder: $DRILL_HOME, else the platform's user data folder."""
    from pathlib import Path

    return Path(home_dir())


def builtin_questions_dir() -> Path:
    from pathlib import Path

    return Path(builtin_questions_path())


def user_packs_dir() -> Path:
    return drill_home() / "packs"


def cache_dir() -> Path:
    return drill_home() / "cache"


def db_path() -> Path:
    return drill_home() / "drill.db"


def workspace_dir() -> Path:
    return drill_home() / "workspace"
