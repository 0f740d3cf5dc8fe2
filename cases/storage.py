"""Where documents and certificates live: a private store that no public URL reaches.

Files are served only through views that check who asks (signed, expiring links for
documents). FileFields name `private_storage` (a callable), so moving to S3 is a
settings change:
define ``STORAGES["private"]`` (e.g. django-storages' S3 backend with private ACLs) and
it is used instead of the filesystem.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """FileSystemStorage rooted at settings.PRIVATE_STORAGE_ROOT, with no URL at all.

    The root is read on every access rather than once: the field builds its storage at
    import time, and tests (or a management command) point the setting elsewhere later.
    """

    def __init__(self, **kwargs) -> None:
        kwargs.pop("base_url", None)
        super().__init__(base_url=None, **kwargs)

    @property
    def base_location(self) -> str:
        return self._value_or_setting(self._location, settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:
        # FileSystemStorage would fall back to MEDIA_URL, which the web server may serve.
        return None

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; use a signed link.")


def private_storage() -> Storage:
    """The storage for private files: ``STORAGES["private"]`` if configured, else disk."""
    if "private" in settings.STORAGES:
        return storages["private"]
    return PrivateFileSystemStorage()
