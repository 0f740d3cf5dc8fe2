"""A short-lived link to read one private file directly from the store, where it can."""

from __future__ import annotations

from urllib.parse import quote

from django.core.files.storage import Storage

from .s3 import PrivateS3Storage


def temporary_url(
    storage: Storage, name: str, *, filename: str, content_type: str
) -> str | None:
    """A presigned URL that serves `name` inline as `filename`, or None.

    None means the store cannot sign URLs (the filesystem): the caller streams the file
    itself. Call only after checking who asks: the URL opens the file for anyone
    holding it, until it expires (PrivateS3Storage.querystring_expire seconds).
    """
    # isinstance sees through a lazy proxy (LazyObject forwards __class__).
    if not isinstance(storage, PrivateS3Storage):
        return None
    disposition = f"inline; filename*=UTF-8''{quote(filename)}"
    return storage.url(
        name,
        parameters={
            "ResponseContentDisposition": disposition,
            "ResponseContentType": content_type,
            "ResponseCacheControl": "private, no-store",
        },
    )
