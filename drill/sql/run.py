"""The SQL judge's child process: runs one answer on each dataset of a question.

Started by `drill.sql.child` as `python -I -S -B` (importing this module, or running it as a
script); reads one JSON job on stdin
and writes one JSON line per step (the precheck, then each case) so the parent can tell
which case a hang or a crash belongs to. A separate process because some SQLite work
(the final sort of a huge ORDER BY) never yields to the progress handler, so only a kill
bounds it, and because SQLite's hard heap limit is process-wide and can only be lowered.

Safety does not rest on reading the text: each run has extension loading off, SQLite's
authorizer allowing only reads and plain functions, `PRAGMA query_only`, a progress
handler for time, and caps on value size, heap, address space, rows and bytes returned.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time

if __package__ in (None, ""):  # run as a script under -I: make the package importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__)))))

from drill.sql.compare import mismatch

# Neither typing nor pathlib is imported here: this child's start-up is on the check's path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_ROWS = 100_000
MAX_OUTPUT_BYTES = 32 * 1024 * 1024
MAX_VALUE_BYTES = 4 * 1024 * 1024  # SQLITE_LIMIT_LENGTH: one string, blob or row
FETCH_BATCH = 1_000
PROGRESS_OPS = 1_000  # VM instructions between deadline checks (microseconds apart)
SHOWN_ROWS = 200  # actual rows sent back for display
AS_HEADROOM = 256 * 1024 * 1024  # address space for Python's side (rows, interpreter)

_READ_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
                 getattr(sqlite3, "SQLITE_RECURSIVE", 33)}
# Named explicitly: since 3.11 the sqlite3 module also has error-code constants that
# share these numbers.
_ACTIONS = (
    "CREATE_INDEX", "CREATE_TABLE", "CREATE_TEMP_INDEX", "CREATE_TEMP_TABLE",
    "CREATE_TEMP_TRIGGER", "CREATE_TEMP_VIEW", "CREATE_TRIGGER", "CREATE_VIEW", "DELETE",
    "DROP_INDEX", "DROP_TABLE", "DROP_TEMP_INDEX", "DROP_TEMP_TABLE", "DROP_TEMP_TRIGGER",
    "DROP_TEMP_VIEW", "DROP_TRIGGER", "DROP_VIEW", "INSERT", "PRAGMA", "READ", "SELECT",
    "TRANSACTION", "UPDATE", "ATTACH", "DETACH", "ALTER_TABLE", "REINDEX", "ANALYZE",
    "CREATE_VTABLE", "DROP_VTABLE", "FUNCTION", "SAVEPOINT", "RECURSIVE",
)
_ACTION_NAMES = {getattr(sqlite3, "SQLITE_" + n): n.replace("_", " ")
                 for n in _ACTIONS if hasattr(sqlite3, "SQLITE_" + n)}
_BLOCKED_FUNCTIONS = {"load_extension"}
OUT_OF_MEMORY = "ran out of the memory budget"


class Rejected(Exception):
    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def refusal(reason: str) -> str:
    return f"refused: the answer must be one read-only SELECT, and it {reason}"


# ------------------------------------------------------------------ wire values
def to_wire(value: Any) -> Any:
    """JSON has no bytes: a blob travels as {"$blob": hex}."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$blob": bytes(value).hex()}
    return value


def from_wire(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$blob"}:
        return bytes.fromhex(value["$blob"])
    return value


# ------------------------------------------------------------------ guard rails
class Guard:
    """SQLite authorizer: reads and plain functions pass; the first denial is kept to report."""

    def __init__(self) -> None:
        self.denied: str | None = None

    def __call__(self, action: int, arg1: str | None, arg2: str | None, _db: str | None,
                 _trigger: str | None) -> int:
        if action in _READ_ACTIONS and not (
                action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _BLOCKED_FUNCTIONS):
            return sqlite3.SQLITE_OK
        if self.denied is None:
            if action == sqlite3.SQLITE_FUNCTION:
                self.denied = f"calls {arg2}()"
            elif (arg1 or "").startswith("sqlite_"):
                # DROP, and creating a pragma table function, first write the schema table.
                self.denied = f"touches SQLite's schema table ({arg1})"
            else:
                target = " ".join(a for a in (arg1, arg2) if a)
                what = _ACTION_NAMES.get(action, f"action {action}")
                self.denied = f"tries {what}" + (f" ({target})" if target else "")
        return sqlite3.SQLITE_DENY


def limit_process(memory_mb: int, cpu_seconds: float) -> None:
    """Address-space and CPU caps for this process, where the OS has them."""
    try:
        import resource
    except ImportError:
        return
    try:
        with open("/proc/self/statm", "rb") as f:
            pages = int(f.read().split()[0])
        current = pages * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        current = None
    try:
        if current is not None:
            cap = current + memory_mb * 1024 * 1024 + AS_HEADROOM
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        cpu = int(cpu_seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    except (ValueError, OSError):
        pass  # a lower hard limit already in force is fine


def open_db(memory_mb: int | None) -> sqlite3.Connection:
    """A hardened in-memory database; `memory_mb` None leaves the process-wide heap alone."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    if hasattr(conn, "enable_load_extension"):  # absent when Python is built without it
        conn.enable_load_extension(False)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    # Sorts and temp tables stay in the heap, so the heap limit bounds them, not the disk.
    conn.execute("PRAGMA temp_store=MEMORY")
    if memory_mb is not None:
        conn.execute(f"PRAGMA hard_heap_limit={int(memory_mb) * 1024 * 1024}")
    return conn


def load(conn: sqlite3.Connection, schema: str, data: dict[str, list[list[Any]]]) -> None:
    try:
        conn.executescript(schema)
    except sqlite3.Error as e:
        raise Rejected("internal_error", f"the question's schema does not load: {e}") from None
    conn.execute("BEGIN")
    for table, rows in data.items():
        cols = conn.execute("SELECT count(*) FROM pragma_table_info(?)", (table,)).fetchone()[0]
        if not cols:
            raise Rejected("internal_error", f"the dataset fills table '{table}', which the schema lacks")
        for i, row in enumerate(rows, start=1):
            if len(row) != cols:
                raise Rejected("internal_error", f"table '{table}' row {i} has {len(row)} values; "
                                                 f"the schema has {cols} columns")
        quoted = '"' + table.replace('"', '""') + '"'
        try:
            conn.executemany(f"INSERT INTO {quoted} VALUES ({', '.join('?' * cols)})",
                             [[from_wire(v) for v in row] for row in rows])
        except (sqlite3.Error, ValueError, TypeError, OverflowError) as e:
            raise Rejected("internal_error", f"table '{table}' data does not load: {e}") from None
    conn.execute("COMMIT")
    conn.execute("PRAGMA query_only=ON")


def _compile_error(conn: sqlite3.Connection, sql: str) -> str | None:
    # EXPLAIN compiles the statement (authorizer included) without running it.
    try:
        conn.execute("EXPLAIN " + sql)
    except sqlite3.Error as e:
        return str(e)
    return None


def precheck(schema: str, stmt: str, memory_mb: int, odd_start: str | None = None) -> None:
    """Syntax, names and permissions, checked once against the bare schema.

    `odd_start` is the first word of a statement that starts with no statement's keyword:
    SQLite must find a syntax error in it, and if it does not, the answer is refused."""
    conn = open_db(memory_mb)
    try:
        load(conn, schema, {})
        guard = Guard()
        conn.set_authorizer(guard)
        err = _compile_error(conn, stmt)
        if err is None:
            if odd_start is not None:
                raise Rejected("runtime_error", refusal(f"starts with {odd_start}"))
            return
        if guard.denied:
            raise Rejected("runtime_error", refusal(guard.denied))
        # Only for an error: the tokenizer's regex takes a while to build.
        from drill.sql.text import error_offset, line_col

        where = error_offset(stmt, err, lambda prefix: _compile_error(conn, prefix))
        if where is not None:
            line, col = line_col(stmt, where)
            err = f"{err} (line {line}, column {col})"
        raise Rejected("syntax_error", err)
    finally:
        conn.close()


# ------------------------------------------------------------------ running
def _size(v: Any) -> int:
    return len(v) if isinstance(v, (str, bytes)) else 8


def _limit_message(seconds: float) -> str:
    return f"took longer than {seconds:g} s"


def execute(conn: sqlite3.Connection, stmt: str, seconds: float) -> tuple[int, list]:
    """(column count, rows) of the answer, or Rejected for a limit or an error."""
    guard = Guard()
    deadline = time.monotonic() + seconds
    conn.set_authorizer(guard)
    conn.set_progress_handler(lambda: time.monotonic() > deadline, PROGRESS_OPS)
    try:
        cur = conn.execute(stmt)
        if cur.description is None:
            raise Rejected("runtime_error", refusal("returns no rows"))
        rows: list = []
        size = 0
        while batch := cur.fetchmany(FETCH_BATCH):
            rows.extend(batch)
            size += sum(_size(v) for r in batch for v in r)
            if len(rows) > MAX_ROWS:
                raise Rejected("output_limit", f"returned more than {MAX_ROWS:,} rows")
            if size > MAX_OUTPUT_BYTES:
                raise Rejected("output_limit", f"returned more than {MAX_OUTPUT_BYTES >> 20} MB")
            if time.monotonic() > deadline:
                raise Rejected("time_limit", _limit_message(seconds))
        return len(cur.description), rows
    except MemoryError:
        raise Rejected("memory_limit", OUT_OF_MEMORY) from None
    except sqlite3.Error as e:
        name = getattr(e, "sqlite_errorname", "")
        if guard.denied:
            raise Rejected("runtime_error", refusal(guard.denied)) from None
        if name == "SQLITE_INTERRUPT" or str(e) == "interrupted":
            raise Rejected("time_limit", _limit_message(seconds)) from None
        if name == "SQLITE_NOMEM":
            raise Rejected("memory_limit", OUT_OF_MEMORY) from None
        if name == "SQLITE_TOOBIG":
            raise Rejected("memory_limit", f"built a value over {MAX_VALUE_BYTES >> 20} MB") from None
        raise Rejected("runtime_error", str(e)) from None
    except OverflowError as e:
        raise Rejected("runtime_error", str(e)) from None


def _display(rows: list) -> list[list[Any]]:
    def show(v: Any) -> Any:
        if isinstance(v, bytes):
            return "X'" + v[:64].hex().upper() + ("…" if len(v) > 64 else "'")
        return v[:200] + "…" if isinstance(v, str) and len(v) > 200 else v

    return [[show(v) for v in r] for r in rows[:SHOWN_ROWS]]


def run_case(job: dict, case: dict) -> dict:
    out: dict[str, Any] = {"status": "passed", "message": "", "time_ms": 0.0, "actual": None}
    conn = open_db(job["memory_mb"])
    started = time.perf_counter()
    try:
        load(conn, job["schema"], case["data"])
        started = time.perf_counter()
        ncols, rows = execute(conn, job["stmt"], job["seconds"])
    except Rejected as e:
        out.update(status=e.status, message=e.message)
        return out
    except MemoryError:
        out.update(status="memory_limit", message=OUT_OF_MEMORY)
        return out
    finally:
        out["time_ms"] = (time.perf_counter() - started) * 1000
        conn.close()
    if case["reveal"]:
        out["actual"] = _display(rows)
    width = job["width"]
    if width is not None and ncols != width:
        out.update(status="wrong_answer", message=f"the query returns {ncols} column(s); expected {width}")
        return out
    expected = [[from_wire(v) for v in r] for r in case["expected"]]
    diff = mismatch(expected, rows, ordered=job["ordered"], reveal=case["reveal"])
    if diff:
        out.update(status="wrong_answer", message=diff)
    return out


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main() -> None:
    job = json.loads(sys.stdin.read())
    limit_process(job["memory_mb"], job["seconds"] * max(1, len(job["cases"])) + 2)
    try:
        if job["precheck"]:
            precheck(job["schema"], job["stmt"], job["memory_mb"], job.get("odd_start"))
        _emit({"precheck": None})
    except Rejected as e:
        _emit({"precheck": {"status": e.status, "message": e.message}})
        return
    for case in job["cases"]:
        _emit(run_case(job, case))


if __name__ == "__main__":
    main()
