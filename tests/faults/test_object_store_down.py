"""The object store (S3: moto's server standing in for MinIO) is down while a citizen
uploads: the Persian «try again» page, no document row and no half-stored file; once the
store is back the same upload goes through."""

from __future__ import annotations

import os
import sys
import uuid

import boto3
import requests

from tests.faults.conftest import psql
from tests.support.files import jpeg_with_gps, upload
from tests.support.stack import (
    HttpClient,
    Process,
    free_port,
    login,
    port_open,
    production_env,
    start_gunicorn,
    wait_until,
)
from tests.support.transfer_driver import CitizenDriver

BUCKET = "faults-private"


class MotoS3:
    def __init__(self, tmp) -> None:
        self.port = free_port()
        self.tmp = tmp
        self.proc: Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = Process("moto", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                                     "-p", str(self.port)], dict(os.environ), self.tmp)
        wait_until(lambda: port_open(self.port), 30, "moto's S3 server")
        self.client().create_bucket(Bucket=BUCKET)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()
            self.proc = None

    def client(self):
        return boto3.client("s3", endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id="faults", aws_secret_access_key="faults")

    def objects(self) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=BUCKET)
        return [o["Key"] for o in listed.get("Contents", [])]


def upload_three(driver: CitizenDriver, response, expect: tuple[int, ...]):
    response = driver.step(response, "+", expect=(200,))
    response = driver.step(response, "+", expect=(200,))
    files = {}
    for i, kind in enumerate(["national_card", "ownership_deed", "notary_letter"]):
        files[f"kind_{i}"] = kind
        files[f"file_{i}"] = upload(f"doc{i}.jpg", jpeg_with_gps(size=(330 + i, 240)))
    values = {"مالک": True, "شماره": "۱۲۳۴/۵۶", "نام نهاد استعلام کننده": "دفترخانه ۱۲",
              "تاریخ نامه": "۱۴۰۵/۰۸/۲۰"}
    return driver.step(response, "تأیید و ارسال", values, files=files, expect=expect)


def test_object_store_down_during_an_upload(servers):
    postgres, redis = servers["postgres"], servers["redis"]
    tmp = servers["tmp"] / "store-down"
    tmp.mkdir()
    store = MotoS3(tmp)
    store.start()
    env = production_env(
        postgres.url, redis.url, tmp,
        PRIVATE_STORAGE="s3", AWS_S3_ENDPOINT_URL=store.url, AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_REGION_NAME="us-east-1", AWS_ACCESS_KEY_ID="faults",
        AWS_SECRET_ACCESS_KEY="faults",
    )
    web, base = start_gunicorn(env, tmp, workers=2)

    def documents() -> int:
        return int(psql(postgres, "SELECT count(*) FROM documents_casedocument"))

    try:
        driver = CitizenDriver(HttpClient(login(base), uuid.uuid4().hex))
        step = driver.until_documents()
        before = documents()

        store.stop()
        ready = requests.get(base + "/readyz", timeout=15)
        assert ready.status_code == 503 and ready.json()["checks"]["storage"]["ok"] is False
        refused = upload_three(driver, step, expect=(503,))
        text = refused.content.decode()
        assert "فایلی که فرستادید ذخیره نشد" in text and 'dir="rtl"' in text
        assert documents() == before  # no row points at a file that is not there

        store.start()  # empty, as a restored store without this upload would be
        wait_until(lambda: requests.get(base + "/readyz", timeout=15).ok, 30, "readiness")
        again = upload_three(driver, driver.client.get(refused_url(step)), expect=(200,))
        assert documents() == before + 3, again.content.decode()[:500]
        assert len(store.objects()) == 3
    finally:
        web.stop()
        store.stop()


def refused_url(step) -> str:
    return step.wsgi_request.get_full_path()
