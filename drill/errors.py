"""One error hierarchy; `drill.cli` is the one boundary that maps it to exit codes.

Exit codes everywhere in the CLI: 0 success, 1 a check failed, 2 usage or input
error, 130 interrupted.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class DrillError(Exception):
    """Base of every error drill reports to the user as one readable line."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class InputError(DrillError):
    """Bad input from the user: unknown question, missing file, wrong kind."""

    exit_code = EXIT_USAGE


class CheckFailed(DrillError):
    """A check ran and did not pass (validation errors, failing tests)."""

    exit_code = EXIT_FAILED


class StoreError(DrillError):
    """The progress database cannot be used as it is (corrupt, newer, read-only)."""

    exit_code = EXIT_USAGE


class SandboxError(DrillError):
    """The requested isolation is not available on this machine."""

    exit_code = EXIT_USAGE


class PackProblem:
    """One problem found in a pack file, located as FILE:LINE:COL when known."""

    __slots__ = ("col", "line", "message", "path")

    def __init__(self, path: str, message: str, line: int | None = None, col: int | None = None):
        self.path = path
        self.message = message
        self.line = line
        self.col = col

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.col or 1}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "col": self.col, "message": self.message}

    @classmethod
    def from_dict(cls, d: dict) -> PackProblem:
        return cls(d["path"], d["message"], d.get("line"), d.get("col"))


class PackInvalid(CheckFailed):
    """A pack file failed validation; carries every problem found in it."""

    def __init__(self, problems: list[PackProblem], not_shown: int = 0) -> None:
        first = str(problems[0]) if problems else "invalid pack"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)
        self.problems = problems
        self.not_shown = not_shown  # problems found beyond those listed (see packfile.MAX_PROBLEMS)
