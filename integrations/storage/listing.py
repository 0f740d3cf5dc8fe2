"""Every file in a private store, with its size: what a backup mirrors and a check counts."""

from __future__ import annotations

import os
from collections.abc import Iterator

from django.core.files.storage import FileSystemStorage, Storage

from .s3 import PrivateS3Storage


def list_files(storage: Storage) -> Iterator[tuple[str, int]]:
    """(name, size) of every file, as the storage names them; in no particular order.

    S3: one listing request per thousand objects (storage.listdir would also walk the
    "folders" one request each). Filesystem: a walk of its root.
    """
    # isinstance sees through the lazy proxy (LazyObject forwards __class__).
    if isinstance(storage, PrivateS3Storage):
        prefix = storage.location.strip("/")
        prefix = f"{prefix}/" if prefix else ""
        paginator = storage.connection.meta.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=prefix):
            for item in page.get("Contents", []):
                yield item["Key"][len(prefix):], item["Size"]
        return
    if not isinstance(storage, FileSystemStorage):
        raise TypeError(f"cannot list a {type(storage).__name__}")
    root = storage.location
    for directory, _folders, files in os.walk(root):
        for file_name in files:
            path = os.path.join(directory, file_name)
            yield os.path.relpath(path, root).replace(os.sep, "/"), os.path.getsize(path)
