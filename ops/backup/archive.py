"""Where backups lie and which are kept.

    BACKUP_DIR/<stamp>/database.dump.age   (or database.sqlite3.age)
    BACKUP_DIR/<stamp>/files.tsv.gz        every stored file: name, size, the pack holding it
    BACKUP_DIR/<stamp>/backup.json         written last: a backup without it is unfinished
    BACKUP_DIR/packs/<stamp>.tar.age       the files new at that backup

Kept: the newest backup of each of the last BACKUP_KEEP_DAILY days, BACKUP_KEEP_WEEKLY
ISO weeks and BACKUP_KEEP_MONTHLY months (UTC); a pack goes once no kept backup names it.
"""

from __future__ import annotations

import datetime
import gzip
import json
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from .age import BackupError

STAMP = "%Y%m%dT%H%M%SZ"
META, FILES, PACKS = "backup.json", "files.tsv.gz", "packs"
UNFINISHED_AFTER = datetime.timedelta(days=1)


def stamp_of(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime(STAMP)


def moment_of(stamp: str) -> datetime.datetime:
    return datetime.datetime.strptime(stamp, STAMP).replace(tzinfo=datetime.UTC)


def _is_stamp(name: str) -> bool:
    try:
        moment_of(name)
    except ValueError:
        return False
    return True


def finished(root: Path) -> list[str]:
    """Stamps of the finished backups, oldest first."""
    if not root.is_dir():
        return []
    return sorted(p.parent.name for p in root.glob(f"*/{META}"))


def meta(root: Path, stamp: str) -> dict:
    return json.loads((root / stamp / META).read_text())


def write_files(root: Path, stamp: str, rows: Iterable[tuple[str, int, str]]) -> int:
    count = 0
    with gzip.open(root / stamp / FILES, "wt", encoding="utf-8") as out:
        for name, size, pack in rows:
            if "\t" in name or "\n" in name:
                raise BackupError(f"a stored name with a tab or newline: {name!r}")
            out.write(f"{name}\t{size}\t{pack}\n")
            count += 1
    return count


def read_files(root: Path, stamp: str) -> Iterator[tuple[str, int, str]]:
    with gzip.open(root / stamp / FILES, "rt", encoding="utf-8") as rows:
        for line in rows:
            name, size, pack = line.rstrip("\n").split("\t")
            yield name, int(size), pack


def write_meta(root: Path, stamp: str, values: dict) -> None:
    partial = root / stamp / (META + ".partial")
    partial.write_text(json.dumps(values, indent=2, sort_keys=True))
    partial.rename(root / stamp / META)  # the backup exists from this rename on


def pack_path(root: Path, pack: str) -> Path:
    return root / PACKS / f"{pack}.tar.age"


def to_keep(stamps: Iterable[str], daily: int, weekly: int, monthly: int) -> set[str]:
    """The newest backup of each of the last `daily` days, `weekly` weeks, `monthly`
    months that have one — and always the newest of all."""
    newest_first = sorted(stamps, reverse=True)
    keep = set(newest_first[:1])
    for count, period in ((daily, lambda m: m.date()),
                          (weekly, lambda m: m.isocalendar()[:2]),
                          (monthly, lambda m: (m.year, m.month))):
        seen: set = set()
        for stamp in newest_first:
            key = period(moment_of(stamp))
            if key not in seen and len(seen) < count:
                seen.add(key)
                keep.add(stamp)
    return keep


def prune(root: Path, keep: set[str], now: datetime.datetime) -> list[str]:
    """Delete the backups not kept, unfinished ones a day old, and packs none names."""
    removed = [s for s in finished(root) if s not in keep]
    for stamp in removed:
        shutil.rmtree(root / stamp)
    for folder in root.iterdir():
        if (_is_stamp(folder.name) and folder.is_dir() and not (folder / META).exists()
                and now - moment_of(folder.name) > UNFINISHED_AFTER):
            shutil.rmtree(folder)
    needed = {pack for stamp in finished(root) for _n, _s, pack in read_files(root, stamp)}
    for pack in (root / PACKS).glob("*.tar.age") if (root / PACKS).is_dir() else []:
        stamp = pack.name.removesuffix(".tar.age")
        if not _is_stamp(stamp):
            continue
        unfinished_own = not (root / stamp / META).exists()
        if stamp not in needed and not (unfinished_own and now - moment_of(stamp)
                                        < UNFINISHED_AFTER):
            pack.unlink()
    return removed
