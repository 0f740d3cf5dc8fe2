"""A real S3 API for the storage tests: moto's server, started here on 127.0.0.1 on a free
port and stopped afterwards."""

from __future__ import annotations

import uuid

import boto3
import pytest

from tests.support.services import require_service
from tests.support.stack import free_port

S3_KEYS = {"access_key": "test-access-key", "secret_key": "test-secret-key"}
LINK_SECONDS = 45  # not the default 60: proves the setting reaches the URL


@pytest.fixture(scope="session")
def moto_endpoint():
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as error:  # moto[server] is a dev dependency
        require_service("moto server", False, repr(error))
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()  # returns once the server is listening
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_client(moto_endpoint):
    return boto3.client(
        "s3", endpoint_url=moto_endpoint, region_name="us-east-1",
        aws_access_key_id=S3_KEYS["access_key"], aws_secret_access_key=S3_KEYS["secret_key"],
    )


@pytest.fixture
def s3_bucket(settings, moto_endpoint, s3_client):
    """A fresh bucket, and the private storage pointed at it as PRIVATE_STORAGE=s3 would."""
    bucket = f"private-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=bucket)
    settings.AWS_QUERYSTRING_EXPIRE = LINK_SECONDS
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "integrations.storage.s3.PrivateS3Storage",
            "OPTIONS": {"bucket_name": bucket, "endpoint_url": moto_endpoint,
                        "region_name": "us-east-1", **S3_KEYS},
        },
    }
    return bucket
