"""Starting `drill check`'s judge before the command line is parsed.

The runner takes some 30 ms to boot (Python, plus bwrap and setpriv), and `drill check`
spends about as long importing the command line framework first. `drill.cli` calls
`start_early` before it imports that framework: for a plain `drill check UID FILE
[options]` it starts the runner for FILE at once, and `drill.commands.check` takes it
with `take` if it fits (same answer text, same --sandbox, and site-packages bound exactly
when the question has `requires:`). Which packages UID requires comes from the catalogue
cache (`requires_of`, a hint: a stale one only costs the early start); for such a
question the runner is also told to import them now (numpy: about 0.1 s, pandas: 0.3 s)
while drill starts up. Anything unusual (an unknown option, --help, a file that cannot be
read) starts nothing here: the normal path then does everything, and reports any error,
as before. A runner not taken is stopped at exit.

The runner only gets the answer's source and waits for its limits; judging is unchanged.
"""

from __future__ import annotations

import os

# Nor typing, pathlib or collections.abc: this module runs before anything heavy is imported.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_FLAGS = {"--examples": "examples", "--json": "json_out", "--reveal": "reveal", "--no-record": "no_record"}
_VALUED = {"--sandbox", "--pack", "--part"}
_ANSWER_CAP = 1 << 20  # as drill.answerfile.ANSWER_CAP: larger files take the normal path

_early: tuple[str, str, bool, Any] | None = None  # (source, requested sandbox, requires, sandbox.Launch)
_early_sql: Any = None  # a drill.sql.child.Child, for an .sql answer


def is_drill(argv0: str) -> bool:
    """Whether this process is the drill program (its script, or `python -m drill`)."""
    return os.path.basename(argv0) == "drill" or argv0.endswith(os.path.join("drill", "__main__.py"))


def start_early(args: list[str], requires_of: Callable[[str], tuple[str, ...] | None] | None = None) -> None:
    """For the arguments `check UID FILE [options]`, start the runner now; never raises.

    `requires_of(UID)` is what the question probably requires (None: unknown)."""
    global _early
    try:
        parsed = _parse(args)
        if parsed is None or _early is not None:
            return
        uid, file, requested = parsed
        if file.endswith(".sql"):
            _start_sql()
            return
        if not file.endswith(".py"):
            return
        with open(file, "rb") as f:
            raw = f.read(_ANSWER_CAP + 1)
        if len(raw) > _ANSWER_CAP:
            return
        source = raw.decode("utf-8").removeprefix("\ufeff")
        requires = tuple(requires_of(uid) or ()) if requires_of is not None else ()
        from drill.judge import sandbox

        if requires:
            import json

            from drill.judge._runner import send
            from drill.judge.code import site_paths

            launched = sandbox.Launch(requested, source, site_paths())
            if launched.child is not None:
                send(launched.child.to_child, json.dumps({"preimport": list(requires)}).encode())
        else:
            launched = sandbox.Launch(requested, source)
    except Exception:
        return
    import atexit

    _early = (source, requested, bool(requires), launched)
    atexit.register(_cancel)


def _start_sql() -> None:
    """An SQL answer is judged by drill.sql.judge's own child: start it now; it loads
    Python and SQLite, then waits for its job."""
    global _early_sql
    if _early_sql is not None:
        return
    import atexit

    from drill.sql.child import Child

    _early_sql = Child()
    atexit.register(_cancel)


def take_sql() -> Any:
    """The SQL child started early (a drill.sql.child.Child), or None; taken once."""
    global _early_sql
    child, _early_sql = _early_sql, None
    return child


def take(source: str, requested: str, requires: bool = False) -> Any:
    """The runner started early for this answer and mode (a sandbox.Launch), or None.

    `requires`: whether the question has `requires:` (its runner needs site-packages)."""
    global _early
    early, _early = _early, None
    if early is None:
        return None
    if early[0] == source and early[1] == requested and early[2] == requires:
        return early[3]
    early[3].cancel()
    return None


def _cancel() -> None:
    global _early
    early, _early = _early, None
    if early is not None:
        early[3].cancel()
    child = take_sql()
    if child is not None:
        child.stop()


def _parse(args: list[str]) -> tuple[str, str, str] | None:
    """(UID, FILE, --sandbox) from `check`'s arguments, or None for anything unusual."""
    options = plain_check(args)
    return None if options is None else (options["uid"], str(options["file"]), options["sandbox"])


def plain_check(args: list[str]) -> dict[str, Any] | None:
    """`drill check`'s options from its arguments, as keyword arguments for
    drill.commands.check.run (FILE and --pack as str: the caller makes them Paths), or
    None for anything unusual (--help, an option this does not know, a --part that is not
    a plain number, ...), which typer then parses, exactly as `drill check`'s definition
    in drill.cli says. tests/test_prelaunch.py holds the two to the same options."""
    if not args or args[0] != "check":
        return None
    positional: list[str] = []
    options: dict[str, Any] = {"sandbox": "auto", "part": 0, "pack": None}
    i = 1
    while i < len(args):
        arg = args[i]
        name, eq, value = arg.partition("=")
        if arg in _FLAGS:
            options[_FLAGS[arg]] = True
        elif name in _VALUED:
            if not eq:
                i += 1
                if i >= len(args):
                    return None
                value = args[i]
            if name == "--sandbox":
                options["sandbox"] = value
            elif name == "--part":
                if not (value.isascii() and value.isdigit()):
                    return None
                options["part"] = int(value)
            else:
                options["pack"] = [*(options["pack"] or []), value]
        elif arg.startswith("-"):
            return None  # --help, "--", or anything this does not know
        else:
            positional.append(arg)
        i += 1
    if len(positional) != 2:
        return None
    return {"uid": positional[0], "file": positional[1], **options}
