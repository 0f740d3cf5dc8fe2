"""Where documents and certificates live: a private store that no public URL reaches.

Files are served only through views that check who asks. FileFields name
`private_storage` (a callable), so the store is a settings change: the filesystem under
PRIVATE_STORAGE_ROOT by default, or ``STORAGES["private"]`` when defined (PRIVATE_STORAGE=s3
defines it as integrations.storage.s3.PrivateS3Storage: private ACL, presigned URLs only).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


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


class _PrivateStorage(LazyObject):
    """The configured private store, chosen on first use and again after a settings change.

    A FileField calls its storage callable once, when the model class is built; this
    proxy lets that one object follow the settings (tests switch to S3 and back).
    """

    def _setup(self) -> None:
        if "private" in settings.STORAGES:
            self._wrapped = storages.create_storage(settings.STORAGES["private"])
        else:
            self._wrapped = PrivateFileSystemStorage()


_private = _PrivateStorage()


def private_storage() -> Storage:
    """The storage for private files: ``STORAGES["private"]`` if configured, else disk."""
    return _private


@receiver(setting_changed, dispatch_uid="cases.storage.reset_private_storage")
def _reset_private_storage(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES" or setting.startswith("AWS_"):
        _private._wrapped = empty
