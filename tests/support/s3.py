"""A real S3 API on 127.0.0.1: moto's standalone server, on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import boto3

from tests.support.services import require_service
from tests.support.stack import free_port

S3_KEYS = {"access_key": "test-access-key", "secret_key": "test-secret-key"}
REGION = "us-east-1"


@contextmanager
def moto_server() -> Iterator[str]:
    """The endpoint URL of a moto server, stopped on leaving."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as error:  # moto[server] is a dev dependency
        require_service("moto server", False, repr(error))
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()  # returns once the server is listening
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id=S3_KEYS["access_key"],
                        aws_secret_access_key=S3_KEYS["secret_key"])


def private_storage_settings(endpoint: str, bucket: str) -> dict:
    """STORAGES["private"] as PRIVATE_STORAGE=s3 makes it, on this endpoint and bucket."""
    return {"BACKEND": "integrations.storage.s3.PrivateS3Storage",
            "OPTIONS": {"bucket_name": bucket, "endpoint_url": endpoint,
                        "region_name": REGION, **S3_KEYS}}


def environment(endpoint: str, bucket: str) -> dict[str, str]:
    """The same, as a process started by a test reads it (config/settings/storage.py)."""
    return {"PRIVATE_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": endpoint, "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": S3_KEYS["access_key"],
            "AWS_SECRET_ACCESS_KEY": S3_KEYS["secret_key"]}
