"""The database's part of a backup: pg_dump's custom format, or SQLite's online backup.

A PostgreSQL dump is taken by a client of the server's own major version: an older
pg_dump refuses a newer server, and one of another version is not what was tested.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import connection

from .age import BackupError

POSTGRES_FILE = "database.dump.age"
SQLITE_FILE = "database.sqlite3.age"


def engine() -> str:
    if connection.vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"no backup for a {connection.vendor} database")
    return connection.vendor


def file_name() -> str:
    return POSTGRES_FILE if engine() == "postgresql" else SQLITE_FILE


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def pg_client(name: str, major: int) -> tuple[str, dict[str, str]]:
    """The path of `name` (pg_dump, pg_restore) of PostgreSQL `major`, and its environment."""
    directory = Path(settings.BACKUP_PG_BIN_DIR or f"/usr/lib/postgresql/{major}/bin")
    path = directory / name
    if not path.is_file():
        raise BackupError(
            f"{name} of PostgreSQL {major} (the server's version) is not in {directory}: "
            f"install postgresql-client-{major} or point BACKUP_PG_BIN_DIR at it")
    env = {**os.environ, **_connection_env()}
    # A client copied beside its own libpq (the Dockerfile's) loads that one.
    own_libs = directory.parent / "lib"
    if (own_libs / "libpq.so.5").exists():
        env["LD_LIBRARY_PATH"] = str(own_libs)
    found = subprocess.run([str(path), "--version"], capture_output=True, text=True,
                           env=env, timeout=30).stdout
    version = re.search(r"\) (\d+)", found)
    if version is None or int(version.group(1)) != major:
        raise BackupError(f"{path} is not PostgreSQL {major}'s {name}: {found.strip()!r}")
    return str(path), env


def _connection_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    # The password through the environment: never on a command line `ps` shows.
    values = {"PGHOST": db.get("HOST") or "", "PGPORT": str(db.get("PORT") or ""),
              "PGUSER": db.get("USER") or "", "PGPASSWORD": db.get("PASSWORD") or "",
              "PGDATABASE": db["NAME"]}
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        values["PGSSLMODE"] = sslmode
    return {key: value for key, value in values.items() if value}


def dump(out: IO[bytes]) -> None:
    """Write a consistent copy of the whole database to `out` while the site serves on."""
    if engine() == "sqlite":
        # SQLite's online backup copies a consistent snapshot; serialised in memory, so
        # no unencrypted copy touches the disk.
        copy = sqlite3.connect(":memory:")
        with sqlite3.connect(settings.DATABASES["default"]["NAME"]) as source:
            source.backup(copy)
        image = bytearray(copy.serialize())
        copy.close()
        # Header bytes 18-19 say "WAL" (2) when the site runs in WAL mode; a file copy
        # says "rollback journal" (1), so the restored file opens without a -wal file.
        image[18:20] = b"\x01\x01"
        out.write(image)
        return
    pg_dump, env = pg_client("pg_dump", server_major())
    # One snapshot for the whole dump (pg_dump's own transaction): rows written while it
    # runs are simply not in it.
    result = subprocess.run([pg_dump, "--format=custom", "--no-password"], stdout=out,
                            stderr=subprocess.PIPE, env=env)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.decode(errors='replace')[-2000:]}")


def table_count() -> int:
    """Tables in the database restore would write into: it must be 0."""
    return len(connection.introspection.table_names())


def restore(source: IO[bytes]) -> None:
    """Load a dump into the configured (empty) database."""
    if engine() == "sqlite":
        connection.close()
        # table_count() found no tables: the file is empty or new, and is replaced whole.
        Path(settings.DATABASES["default"]["NAME"]).write_bytes(source.read())
        return
    pg_restore, env = pg_client("pg_restore", server_major())
    connection.close()  # nothing of ours holds the database while it is loaded
    result = subprocess.run(
        [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error",
         "--single-transaction", "--no-password", "--dbname", env["PGDATABASE"]],
        stdin=source, stderr=subprocess.PIPE, env=env)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.decode(errors='replace')[-2000:]}")
