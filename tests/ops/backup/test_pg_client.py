"""The dump is taken by a client of the server's major version, never another."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ops.backup import database
from ops.backup.age import BackupError

ROOT = Path(__file__).resolve().parents[3]


def test_a_client_of_another_major_version_is_refused(settings, tmp_path):
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 15.8'\n")
    fake.chmod(0o755)
    settings.BACKUP_PG_BIN_DIR = str(tmp_path)
    with pytest.raises(BackupError, match="is not PostgreSQL 16's pg_dump"):
        database.pg_client("pg_dump", 16)
    assert database.pg_client("pg_dump", 15)[0] == str(fake)


def test_a_missing_client_names_the_package(settings):
    settings.BACKUP_PG_BIN_DIR = ""
    with pytest.raises(BackupError, match="install postgresql-client-99"):
        database.pg_client("pg_dump", 99)


def test_the_image_carries_the_client_of_the_server_compose_runs():
    compose = (ROOT / "docker-compose.yml").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    server = re.search(r"image: postgres:(\d+)-", compose).group(1)
    stage = re.search(r"FROM postgres:(\d+)-\S+ AS pgclient", dockerfile).group(1)
    assert stage == server
    assert f"COPY --from=pgclient /pgclient /usr/lib/postgresql/{server}" in dockerfile
    assert f"/usr/lib/postgresql/{server}/bin/pg_dump" in dockerfile
