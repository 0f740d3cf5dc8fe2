"""Point-in-time recovery as docs/operators/backup.md describes it: a base backup, WAL
archived by archive_command, and a restore to a named restore point before a mistake."""

from __future__ import annotations

import shutil
import time

from tests.support.private_postgres import PrivatePostgres, require_private_postgres


def wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_a_restore_to_a_named_point_stops_before_the_mistake():
    require_private_postgres()
    live = PrivatePostgres("city")
    restored = PrivatePostgres("city", initdb=False)
    archive = live.root / "wal-archive"
    try:
        live.as_postgres("mkdir", str(archive))
        live.configure(wal_level="replica", archive_mode="on",
                       archive_command=f"test ! -f {archive}/%f && cp %p {archive}/%f")
        live.start()
        live.createdb()
        live.psql("CREATE TABLE payments (id int PRIMARY KEY, rials bigint)")
        live.psql("INSERT INTO payments VALUES (1, 4500000)")
        base = live.root / "base"
        live.as_postgres(str(live.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p",
                         str(live.port), "-U", "postgres", "-D", str(base), "-X", "none",
                         "--checkpoint=fast")

        live.psql("INSERT INTO payments VALUES (2, 1200000)")  # after the base backup
        live.psql("SELECT pg_create_restore_point('before-the-mistake')")
        live.psql("DELETE FROM payments")  # the mistake
        segment = live.psql("SELECT pg_walfile_name(pg_current_wal_lsn())")
        live.psql("SELECT pg_switch_wal()")
        wait_for(lambda: live.psql("SELECT last_archived_wal FROM pg_stat_archiver")
                 >= segment, "the mistake's WAL segment to be archived")
        live.stop()

        # The base backup, then every archived segment up to the restore point.
        live.as_postgres("cp", "-a", str(base), str(restored.data))
        restored.configure(archive_mode="off",
                           restore_command=f"cp {archive}/%f %p",
                           recovery_target_name="before-the-mistake",
                           recovery_target_action="promote")
        live.as_postgres("touch", str(restored.data / "recovery.signal"))
        restored.start()
        wait_for(lambda: restored.psql("SELECT pg_is_in_recovery()") == "f",
                 "recovery to reach the restore point and promote")

        assert restored.psql("SELECT id, rials FROM payments ORDER BY id") == (
            "1|4500000\n2|1200000")
        assert "recovery stopping at restore point" in (restored.root / "server.log"
                                                          ).read_text()
    finally:
        restored.destroy()
        live.destroy()
        shutil.rmtree(archive, ignore_errors=True)
