"""make run's arrangement (SQLite, files on disk) backs up and restores with the same
commands, encrypted; a restore goes only into an empty database and store."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from ops.backup.age import BackupError, decrypting
from tests.support.services import require_service
from tests.support.stack import PYTHON, ROOT

SECRET_BYTES = b"a citizen's deed, word for word " * 8


def run(env: dict, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert (result.returncode == 0) == ok, result.stdout[-2000:] + result.stderr[-3000:]
    return result


def site(tmp: Path, name: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    return env | {"DEBUG": "1", "SECRET_KEY": "embedded-backup-test-" + "k" * 30,
                  "DATABASE_URL": f"sqlite:///{tmp / name}.sqlite3",
                  "PRIVATE_STORAGE_ROOT": str(tmp / f"{name}-files"),
                  "BACKUP_DIR": str(tmp / "backups"),
                  "BACKUP_DEV_IDENTITY": str(tmp / "identity.txt")}


def test_a_make_run_site_backs_up_and_restores_into_an_empty_one(tmp_path):
    require_service("age", bool(subprocess.run(["which", "age"]).returncode == 0),
                    "apt-get install age (scripts/system-deps.sh)")
    source = site(tmp_path, "source")
    # Any SQLite database will do (migrating one costs 18 s): the backup copies it whole.
    with sqlite3.connect(tmp_path / "source.sqlite3") as db:
        db.execute("PRAGMA journal_mode=WAL")  # as make run's site runs
        db.execute("CREATE TABLE cases_district (number integer primary key, name text)")
    stored = tmp_path / "source-files" / "documents" / "2026" / "12" / "deed.jpg"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(SECRET_BYTES)
    with sqlite3.connect(tmp_path / "source.sqlite3") as db:
        db.execute("INSERT INTO cases_district (number, name) VALUES (77, 'ناحیه آزمون')")

    assert "1 files (1 new)" in run(source, "backup").stdout
    backups = tmp_path / "backups"
    for path in backups.rglob("*.age"):  # encrypted at rest: nothing readable in them
        data = path.read_bytes()
        assert data.startswith(b"age-encryption.org/v1") and SECRET_BYTES[:20] not in data

    target = site(tmp_path, "target")
    restored = run(target, "restore").stdout
    assert "1 files" in restored
    assert (tmp_path / "target-files" / stored.relative_to(tmp_path / "source-files")
            ).read_bytes() == SECRET_BYTES
    with sqlite3.connect(tmp_path / "target.sqlite3") as db:
        assert db.execute("SELECT name FROM cases_district WHERE number = 77").fetchone() == (
            "ناحیه آزمون",)
    # Never over a site that has data: the database, then the store, are checked first.
    refused = run(target, "restore", ok=False)
    assert "the database is not empty" in refused.stderr
    files_left = site(tmp_path, "files-left")
    (tmp_path / "files-left-files").mkdir()
    (tmp_path / "files-left-files" / "stray").write_bytes(b"x")
    assert "the private store is not empty" in run(files_left, "restore", ok=False).stderr
    # Another key opens nothing.
    other = tmp_path / "other-identity.txt"
    subprocess.run(["age-keygen", "-o", str(other)], check=True, capture_output=True)
    [dump] = backups.glob("*/database.sqlite3.age")
    with pytest.raises(BackupError, match="age could not decrypt"):
        with decrypting(dump, other) as plain:
            plain.read()


@pytest.fixture(autouse=True)
def _no_settings_from_the_test_process(monkeypatch):
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
