"""Taking a backup (the database, then the store) and restoring one into an empty site."""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cases.storage import private_storage
from integrations.storage.listing import list_files

from . import archive, database, files
from .age import BackupError, decrypting, encrypting


@dataclass
class BackupReport:
    stamp: str
    files: int = 0
    new_files: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)


def take_backup(root: Path | None = None, now: datetime.datetime | None = None) -> BackupReport:
    """Dump the database, then mirror the store: every file a dumped row names exists
    then, because a file whose row goes is deleted only past the backup window."""
    root = Path(root or settings.BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    with _alone(root):
        return _take_backup(root, now or timezone.now())


@contextlib.contextmanager
def _alone(root: Path) -> Iterator[None]:
    """One backup at a time into a folder: two would pack the same new files twice and
    prune each other's packs."""
    with open(root / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(f"another backup into {root} is running") from None
        yield


def _take_backup(root: Path, now: datetime.datetime) -> BackupReport:
    report = BackupReport(archive.stamp_of(now))
    folder = root / report.stamp
    folder.mkdir(parents=True)
    (root / archive.PACKS).mkdir(exist_ok=True)
    earlier = archive.finished(root)
    # Files already packed by the newest backup (names are never reused; a size change
    # would mean a rewrite, so such a file is packed again).
    known = {name: (size, pack) for name, size, pack in
             archive.read_files(root, earlier[-1])} if earlier else {}

    started = time.monotonic()
    with encrypting(folder / database.file_name()) as out:
        database.dump(out)
    report.seconds["database"] = time.monotonic() - started

    started = time.monotonic()
    storage = private_storage()
    listed = list(list_files(storage))
    new = [(name, size) for name, size in listed if known.get(name, (None,))[0] != size]
    packed: set[str] = set()
    if new:
        with encrypting(archive.pack_path(root, report.stamp)) as out:
            packed = set(files.pack(storage, new, out))
    rows = [(name, size, report.stamp if name in packed else known[name][1])
            for name, size in listed if name in packed or name in known]
    report.files = archive.write_files(root, report.stamp, rows)
    report.new_files = len(packed)
    report.seconds["files"] = time.monotonic() - started

    archive.write_meta(root, report.stamp, {
        "format": 1, "engine": database.engine(), "database_file": database.file_name(),
        "server_major": database.server_major() if database.engine() == "postgresql" else None,
        "started_at": now.isoformat(), "finished_at": timezone.now().isoformat(),
        "files": report.files, "new_files": report.new_files, "seconds": report.seconds})
    keep = archive.to_keep(archive.finished(root), settings.BACKUP_KEEP_DAILY,
                           settings.BACKUP_KEEP_WEEKLY, settings.BACKUP_KEEP_MONTHLY)
    report.removed = archive.prune(root, keep, timezone.now())
    return report


@dataclass
class RestoreReport:
    stamp: str
    files: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def restore_backup(identity: Path, root: Path | None = None,
                   stamp: str | None = None) -> RestoreReport:
    """Load backup `stamp` (default: the newest) into the empty database and store."""
    root = Path(root or settings.BACKUP_DIR)
    stamps = archive.finished(root)
    if not stamps or (stamp and stamp not in stamps):
        raise BackupError(f"no finished backup {stamp or ''} in {root}".replace("  ", " "))
    report = RestoreReport(stamp or stamps[-1])
    details = archive.meta(root, report.stamp)
    if details["engine"] != database.engine():
        raise BackupError(f"a {details['engine']} backup cannot go into {database.engine()}")
    if database.table_count():
        raise BackupError("the database is not empty: restore only into a new, empty one")
    storage = private_storage()
    if next(iter(list_files(storage)), None) is not None:
        raise BackupError("the private store is not empty: restore only into an empty one")

    started = time.monotonic()
    with decrypting(root / report.stamp / details["database_file"], identity) as plain:
        database.restore(plain)
    report.seconds["database"] = time.monotonic() - started

    started = time.monotonic()
    by_pack: dict[str, set[str]] = {}
    for name, _size, pack in archive.read_files(root, report.stamp):
        by_pack.setdefault(pack, set()).add(name)
    for pack, names in sorted(by_pack.items()):
        restored = files.unpack(storage, archive.pack_path(root, pack), identity, names)
        if restored != len(names):
            raise BackupError(f"pack {pack} held {restored} of its {len(names)} files")
        report.files += restored
    report.seconds["files"] = time.monotonic() - started
    return report
