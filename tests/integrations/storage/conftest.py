"""A real S3 API for the storage tests: moto's server, started here on 127.0.0.1 on a free
port and stopped afterwards (tests/support/s3.py)."""

from __future__ import annotations

import uuid

import pytest

from tests.support import s3

LINK_SECONDS = 45  # not the default 60: proves the setting reaches the URL


@pytest.fixture(scope="session")
def moto_endpoint():
    with s3.moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_client(moto_endpoint):
    return s3.s3_client(moto_endpoint)


@pytest.fixture
def s3_bucket(settings, moto_endpoint, s3_client):
    """A fresh bucket, and the private storage pointed at it as PRIVATE_STORAGE=s3 would."""
    bucket = f"private-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=bucket)
    settings.AWS_QUERYSTRING_EXPIRE = LINK_SECONDS
    settings.STORAGES = {**settings.STORAGES,
                         "private": s3.private_storage_settings(moto_endpoint, bucket)}
    return bucket
