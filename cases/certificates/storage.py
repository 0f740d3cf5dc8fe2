"""Private file storage for issued certificates: never under MEDIA_URL, no public URL.

The same arrangement as documents (cases/documents/storage.py): ``STORAGES["private"]``
when configured (e.g. S3 with private ACLs), else the filesystem below.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under settings.PRIVATE_STORAGE_ROOT, read at each use.

    Django builds a FileField's storage once, when the model class is created; reading
    the setting lazily is what lets a deployment or a test point it elsewhere later.
    """

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:
        # No URL at all: the files are served only through views that check who asks.
        return None


def private_storage() -> Storage:
    if "private" in settings.STORAGES:
        return storages["private"]
    return PrivateFileSystemStorage()
