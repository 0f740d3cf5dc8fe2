"""Map the URLs a rendered page asks for to static files on the disk."""

from __future__ import annotations

import os
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation


def static_prefix(base_url: str) -> str:
    """The absolute URL static files have in a page rendered at `base_url`."""
    return urljoin(base_url, settings.STATIC_URL)


def static_file_path(url: str, base_url: str) -> str | None:
    """The file on the disk that `url` names, or None when it names no static file.

    Source files first (finders); then collected ones, for the hashed names that
    `static()` writes when the manifest storage is on in production.
    """
    prefix = static_prefix(base_url)
    parts = urlsplit(url)
    bare = parts._replace(query="", fragment="").geturl()
    if not bare.startswith(prefix):
        return None
    name = unquote(bare[len(prefix):])
    if not name or name.startswith("/") or ".." in name.split("/") or "\\" in name:
        return None
    try:
        found = finders.find(name)
        if found:
            return str(found)
        collected = staticfiles_storage.path(name)
    except (SuspiciousFileOperation, NotImplementedError):
        return None
    return collected if os.path.isfile(collected) else None
