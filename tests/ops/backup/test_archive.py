"""Which backups are kept, which packs go with the ones that are not, one backup at a time."""

from __future__ import annotations

import datetime
import fcntl

import pytest

from ops.backup import archive
from ops.backup.age import BackupError
from ops.backup.run import take_backup

UTC = datetime.UTC
START = datetime.datetime(2026, 1, 1, 2, 0, tzinfo=UTC)


def nightly(days: int) -> list[str]:
    return [archive.stamp_of(START + datetime.timedelta(days=n)) for n in range(days)]


def test_the_newest_of_each_recent_day_week_and_month_are_kept():
    stamps = nightly(200)  # 2026-01-01 … 2026-07-19, one a night
    # A second backup on the last night replaces the first as that day's.
    stamps.append(archive.stamp_of(START + datetime.timedelta(days=199, hours=3)))
    keep = archive.to_keep(stamps, daily=7, weekly=4, monthly=6)
    newest = sorted(stamps)[-1]
    assert newest in keep
    assert sorted(stamps)[-2] not in keep  # same day, older
    days = {archive.moment_of(s).date() for s in keep}
    last_week = {(START + datetime.timedelta(days=199 - n)).date() for n in range(7)}
    assert last_week <= days
    months = {(archive.moment_of(s).year, archive.moment_of(s).month) for s in keep}
    assert months == {(2026, m) for m in range(2, 8)}  # six months, January gone
    # 7 days, plus 3 older Sundays (the ISO weeks' newest), plus 5 older month-ends.
    assert len(keep) == 7 + 3 + 5


def test_pruning_drops_unkept_backups_and_only_the_packs_none_names(tmp_path):
    now = START + datetime.timedelta(days=3)
    first, second, third = nightly(3)
    for stamp, rows in ((first, [("a", 1, first), ("b", 1, first)]),
                        (second, [("b", 1, first), ("c", 1, second)]),
                        (third, [("c", 1, second), ("d", 1, third)])):
        (tmp_path / stamp).mkdir()
        archive.write_files(tmp_path, stamp, rows)
        archive.write_meta(tmp_path, stamp, {"stamp": stamp})
        (tmp_path / archive.PACKS).mkdir(exist_ok=True)
        archive.pack_path(tmp_path, stamp).write_bytes(b"x")
    unfinished = archive.stamp_of(now - datetime.timedelta(days=2, hours=5))
    (tmp_path / unfinished).mkdir()

    removed = archive.prune(tmp_path, {third}, now)

    assert removed == [first, second]
    assert archive.finished(tmp_path) == [third]
    assert not (tmp_path / unfinished).exists()  # two days unfinished: a dead run
    packs = sorted(p.name for p in (tmp_path / archive.PACKS).iterdir())
    assert packs == [f"{second}.tar.age", f"{third}.tar.age"]  # c is still in second's


def test_a_second_backup_into_the_same_folder_is_refused_while_one_runs(tmp_path):
    with open(tmp_path / ".lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a backup under way
        with pytest.raises(BackupError, match="another backup into .* is running"):
            take_backup(tmp_path)
    assert archive.finished(tmp_path) == []
