"""`drill reset`: delete all progress, keeping a backup copy of the database first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class ResetResult:
    backup: Path
    attempts: int


def target() -> Path:
    from drill.paths import db_path

    return db_path()


def backups_dir() -> Path:
    return target().parent / "backups"


def reset(now: datetime | None = None) -> ResetResult | None:
    """Back the database up to `<data folder>/backups/`, then clear it. None if there is none."""
    from drill.errors import StoreError
    from drill.progress.store import open_store

    path = target()
    if not path.exists():
        return None
    with open_store(path) as store:
        folder = backups_dir()
        try:
            folder.mkdir(exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create the backup folder {folder}: {e.strerror or e}") from None
        stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
        backup = folder / f"drill-{stamp}.db"
        n = 1
        while backup.exists():
            n += 1
            backup = folder / f"drill-{stamp}-{n}.db"
        store.backup_to(backup)
        removed = store.clear()
    return ResetResult(backup, removed["attempts"])
