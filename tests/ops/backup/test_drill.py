"""The restore drill: a city's data backed up while citizens keep writing, restored into a
fresh PostgreSQL (a private cluster started here) and a fresh bucket (moto's S3 server),
then `check_consistency` finds nothing missing — and finds a lost file and an edited row.

The source is the test database, written by citizen A's walk through the site (a case at
every stage: documents, a settled payment, a certificate, an inquiry's answer) and by
writer threads that upload and remove documents during the whole backup.
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid

import pytest
from django.db import connection
from django.test import override_settings

from cases.certificates.models import Certificate
from cases.demo.seed import seed
from cases.documents.models import CaseDocument
from cases.documents.services import remove_document, store_document
from cases.payments.models import Payment, PaymentStatus
from tests.support import files, s3
from tests.support.citizen_a import CitizenA, build_citizen_a
from tests.support.database import flush_and_reseed
from tests.support.factories import CaseFactory
from tests.support.private_postgres import PrivatePostgres, require_private_postgres
from tests.support.services import require_service
from tests.support.stack import PYTHON, ROOT, production_env

# Transactional: the writer threads' rows are committed, as the dump must see them.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WRITERS = 4


@pytest.fixture(scope="module")
def endpoint():
    with s3.moto_server() as url:
        yield url


@pytest.fixture(scope="module")
def city(endpoint, django_db_setup, django_db_blocker):
    """Citizen A's cases, committed in the test database, their files in a moto bucket."""
    require_service("PostgreSQL", connection.vendor == "postgresql",
                    "the drill dumps the test database with pg_dump: set DATABASE_URL")
    bucket = f"city-{uuid.uuid4().hex[:8]}"
    s3.s3_client(endpoint).create_bucket(Bucket=bucket)
    storages = {"private": s3.private_storage_settings(endpoint, bucket)}
    with override_settings(STORAGES={**_storages(), **storages},
                           PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                           PDF_RENDERER="tests.support.citizen_a.StandInRenderer"):
        try:
            with django_db_blocker.unblock():
                seed()
                yield build_citizen_a(), bucket
        finally:
            with django_db_blocker.unblock():
                flush_and_reseed()


def _storages() -> dict:
    from django.conf import settings

    return settings.STORAGES


def keys(tmp_path) -> tuple[str, str]:
    identity = tmp_path / "operators.key"
    subprocess.run(["age-keygen", "-o", str(identity)], check=True, capture_output=True)
    public = subprocess.run(["age-keygen", "-y", str(identity)], check=True,
                            capture_output=True, text=True).stdout.strip()
    return str(identity), public


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def source_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Writers:
    """Citizens uploading and removing documents on their drafts, until told to stop."""

    def __init__(self, count: int) -> None:
        self.stop = threading.Event()
        self.writes: list[float] = []
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self._write, daemon=True) for _ in range(count)]

    def _write(self) -> None:
        try:
            case = CaseFactory()  # a draft of a citizen of its own
            previous = None
            while not self.stop.is_set():
                image = files.upload("scan.png", files.png_bytes(noisy=True), "image/png")
                document = store_document(case, "other", image, case.citizen)
                # Each document lives one round: the dump names some that are removed
                # before the store is listed. Their files must still be there.
                if previous is not None:
                    remove_document(previous, case.citizen)
                previous = document
                self.writes.append(time.monotonic())
        except BaseException as error:  # noqa: BLE001 — reported by the test
            self.errors.append(error)
        finally:
            connection.close()

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def test_a_backup_under_load_restores_whole_and_a_loss_is_then_reported(
        city, endpoint, tmp_path, settings):
    require_private_postgres()
    citizen_a, bucket = city
    settings.STORAGES = {**settings.STORAGES,
                         "private": s3.private_storage_settings(endpoint, bucket)}
    identity, recipient = keys(tmp_path)
    source = production_env(source_url(), "", tmp_path, **s3.environment(
        endpoint, bucket), BACKUP_DIR=str(tmp_path / "backups"),
        BACKUP_AGE_RECIPIENTS=recipient)

    with Writers(WRITERS) as writers:
        while len(writers.writes) < WRITERS:  # every writer under way
            time.sleep(0.05)
        started = time.monotonic()
        backup = manage(source, "backup")
        finished = time.monotonic()
    assert backup.returncode == 0, backup.stderr[-3000:]
    assert not writers.errors, writers.errors
    during = [t for t in writers.writes if started < t < finished]
    assert len(during) >= 10, "the citizens must have written throughout the backup"

    certificates = Certificate.objects.count()
    settled = Payment.objects.filter(status=PaymentStatus.SETTLED).count()
    lost = CaseDocument.objects.filter(case=citizen_a.archived).first().file.name
    assert certificates >= 2 and settled >= 1

    postgres = PrivatePostgres("restored")
    try:
        postgres.start()
        postgres.createdb()
        fresh = f"fresh-{uuid.uuid4().hex[:8]}"
        s3.s3_client(endpoint).create_bucket(Bucket=fresh)
        target = {**source, "DATABASE_URL": postgres.url, **s3.environment(endpoint, fresh)}
        restore = manage(target, "restore", "--identity", identity)
        assert restore.returncode == 0, restore.stderr[-3000:]

        check = manage(target, "check_consistency")
        assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
        assert "mismatches: 0" in check.stdout
        assert f"checked certificates verified: {certificates}" in check.stdout
        restored_documents = int(postgres.psql(
            "SELECT count(*) FROM documents_casedocument WHERE file <> ''"))
        assert f"checked documents: {restored_documents}" in check.stdout
        assert int(postgres.psql(
            "SELECT count(*) FROM payments_payment WHERE status = 'settled'")) == settled

        # A file lost from the bucket and a row edited by hand: both named.
        s3.s3_client(endpoint).delete_object(Bucket=fresh, Key=lost)
        postgres.psql("UPDATE payments_payment SET amount_rials = amount_rials + 1 "
                      "WHERE status = 'settled'")
        damaged = manage(target, "check_consistency")
        assert damaged.returncode == 1, damaged.stdout[-3000:] + damaged.stderr[-3000:]
        assert f"MISMATCH document file missing: document" in damaged.stdout
        assert f"{lost} is not in the store" in damaged.stdout
        assert "MISMATCH payment amount differs" in damaged.stdout
        assert f"mismatches: {1 + settled}" in damaged.stdout
    finally:
        postgres.destroy()
