"""The database file: is it drill's, is it intact, and opening it without harm.

Every byte of the file is hostile until checked, and a file drill refuses must come out
byte-identical. In the order `drill.progress.store.open_store` uses them:

- `check_path`: before SQLite touches an existing file, refuse a folder, an empty file
  (SQLite would silently make it a new database) and anything without SQLite's header.
- `connect`: readers open the file read-only (`mode=ro`): a report never writes a byte
  of it, not even a header field.
- `identify`: drill's own database has its `_migrations` table (or drill's
  application_id); any other SQLite database is refused before a table is added to it.
- `verify`: `PRAGMA integrity_check`, when the file changed since drill last verified it.
  The stamp (size, modification time, inode) is kept in `cache/store-verified.json`, and
  drill's own writes renew it, so `drill report` on a large history stays quick and a
  file changed behind drill's back (flipped bytes, another tool) is checked in full.
- `create`: a new database is built beside the target and linked into place complete,
  so drill never leaves an empty or half-made file that a later run would refuse.
- `error`: what an SQLite (or OS) error means, as one StoreError: the disk is full,
  the folder is read-only, another drill holds the lock, the file is corrupt.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
from pathlib import Path

from drill.errors import StoreError

BUSY_TIMEOUT_MS = 15_000
SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_BYTES = 100  # SQLite's database header; a shorter file is no database
APPLICATION_ID = 0x4452494C  # "DRIL", set by migration m004_application_id
FULL_BELOW = 1 << 20  # free bytes under which an I/O error means the disk is full
STAMP_FILE = "store-verified.json"
STAMPS_KEPT = 8
# Errors that mean the file's contents cannot be trusted (SQLite's, and Python's when a
# text column holds bytes that are not UTF-8).
_CORRUPT = ("not a database", "malformed", "corrupt", "could not decode", "file is not a database")


def label(path: Path | None) -> str:
    return str(path) if path else "the in-memory database"


# ---------------------------------------------------------------- before SQLite


def check_path(path: Path) -> None:
    """Refuse, before SQLite touches it, an existing path that is not a database file."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a drill database")
    try:
        with path.open("rb") as f:
            head = f.read(HEADER_BYTES)
    except OSError as e:
        raise StoreError(f"cannot read {path}: {e.strerror or e}") from None
    if not head:
        raise StoreError(f"{path} is an empty file, not a drill database; drill will not overwrite it",
                         "Move it away (or delete it if it is yours to lose) and run drill again.")
    if not head.startswith(SQLITE_HEADER):
        raise StoreError(f"{path} is not a drill database (not an SQLite file); drill will not "
                         "overwrite it", "Move it away and run drill again.")
    if len(head) < HEADER_BYTES:
        raise _corrupt(path, "the file is shorter than an SQLite header")


def check_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise os_error(e, folder, f"cannot create the data folder {folder}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(f"the data folder {folder} is read-only; drill keeps its progress there",
                         "Set DRILL_HOME to a writable folder, or fix the permissions.")


# ---------------------------------------------------------------- opening


def connect(path: Path | None, *, readonly: bool = False) -> sqlite3.Connection:
    target = ":memory:" if path is None else str(path)
    try:
        if readonly and path is not None:
            from urllib.parse import quote

            uri = "file:" + quote(str(path.absolute())) + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        else:
            conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as e:
        raise error(e, path) from None
    conn.row_factory = sqlite3.Row
    return conn


def identify(conn: sqlite3.Connection, path: Path) -> list[str]:
    """The names of the migrations the file records; StoreError unless it is drill's own.
    Reads only (sqlite_master, two header fields and `_migrations`)."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    names: list[str] = []
    if "_migrations" in tables:
        names = [str(r[0]) for r in conn.execute("SELECT name FROM _migrations ORDER BY rowid")]
    if app_id == APPLICATION_ID or "m001_initial" in names:
        return names
    if tables:
        shown = ", ".join(tables[:4]) + (", ..." if len(tables) > 4 else "")
        raise StoreError(f"{path} is an SQLite database, but not drill's (it holds {shown}); drill will "
                         "not touch it", "Set DRILL_HOME to another folder, or move the file away.")
    raise StoreError(f"{path} is an SQLite database without drill's tables; drill will not touch it",
                     "Move it away (or delete it if it is yours to lose) and run drill again.")


# ---------------------------------------------------------------- integrity


def verify(conn: sqlite3.Connection, path: Path) -> list[int] | None:
    """Refuse a file SQLite's integrity check finds damaged; skipped while the file is as
    drill last verified or wrote it. Returns the file's stamp as verified."""
    stamp = stamp_of(path)
    if stamp is not None and stamp == _stamps().get(_key(path)):
        return stamp
    problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(5)")]
    if problems != ["ok"]:
        raise _corrupt(path, f"integrity check: {problems[0]}")
    save_stamp(path, stamp)
    return stamp


def stamp_of(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev]


def _key(path: Path) -> str:
    return str(path.resolve())


def _stamp_file() -> Path:
    from drill.paths import cache_dir

    return cache_dir() / STAMP_FILE


def _stamps() -> dict:
    try:
        data = json.loads(_stamp_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_stamp(path: Path, stamp: list[int] | None = None) -> None:
    """Record that the file, as it is now, is verified (or was written by drill)."""
    stamp = stamp or stamp_of(path)
    if stamp is None:
        return
    file = _stamp_file()
    stamps = _stamps()
    stamps.pop(_key(path), None)
    stamps[_key(path)] = stamp
    kept = dict(list(stamps.items())[-STAMPS_KEPT:])
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(kept), encoding="utf-8")
        os.replace(tmp, file)
    except OSError:
        pass  # a read-only or full data folder: the next open verifies again


# ---------------------------------------------------------------- creating


def create(path: Path, build) -> None:
    """Make the database at `path` with `build(conn)` (migrations, WAL) on a file beside it,
    then link it into place whole; if another drill made one meanwhile, keep theirs."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    _remove(tmp)
    try:
        conn = connect(tmp)
        try:
            build(conn)
        finally:
            conn.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError as e:
            if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EOPNOTSUPP):
                raise
            if not path.exists():  # no hard links here (FAT, some network shares)
                os.rename(tmp, path)
    except sqlite3.Error as e:
        raise error(e, path) from None
    except OSError as e:
        raise os_error(e, path.parent, f"cannot create {path}") from None
    finally:
        _remove(tmp)
    save_stamp(path)


def _remove(tmp: Path) -> None:
    for p in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm"),
              tmp.with_name(tmp.name + "-journal")):
        with contextlib.suppress(OSError):
            p.unlink()


# ---------------------------------------------------------------- errors


def disk_full(folder: Path) -> bool:
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    return st.f_bavail * st.f_frsize < FULL_BELOW


def full(folder: Path) -> StoreError:
    return StoreError(f"the disk holding DRILL_HOME ({folder}) is full: nothing more could be written",
                      "Free some space and run drill again; everything recorded before is kept.")


def _corrupt(path: Path | None, why: str) -> StoreError:
    return StoreError(f"{label(path)} is corrupt or not a drill database ({why}); drill will not touch it",
                      "Move it away (or restore a backup) and run drill again.")


def error(e: BaseException, path: Path | None) -> StoreError:
    """A SQLite error (or a decoding error from its rows) as one clear StoreError."""
    msg = str(e)
    low = msg.lower()
    name = getattr(e, "sqlite_errorname", "") or ""
    folder = path.parent if path else None
    if name == "SQLITE_FULL" or "database or disk is full" in low:
        return full(folder or Path("."))
    if "readonly" in low or "read-only" in low:
        return StoreError(f"cannot write to {label(path)}: the data folder or file is read-only",
                          "Set DRILL_HOME to a writable folder, or fix the permissions.")
    if "locked" in low or "busy" in low:
        return StoreError(f"{label(path)} stayed locked by another drill process for "
                          f"{BUSY_TIMEOUT_MS // 1000} s; try again")
    if isinstance(e, UnicodeError | ValueError) or any(s in low for s in _CORRUPT):
        return _corrupt(path, msg[:200])
    # A full disk also surfaces as an I/O error, as a failed open of the -shm file, or
    # as a rollback that SQLite already did itself.
    if folder is not None and (name.startswith("SQLITE_IOERR") or "disk i/o error" in low
                               or "cannot rollback" in low or "unable to open" in low
                               or "cannot commit" in low) and disk_full(folder):
        return full(folder)
    return StoreError(f"cannot use {label(path)}: {msg[:300]}")


def os_error(e: OSError, folder: Path, what: str) -> StoreError:
    if e.errno in (errno.ENOSPC, errno.EDQUOT) or disk_full(folder):
        return full(folder)
    return StoreError(f"{what}: {e.strerror or e}")
