"""The store's part of a backup: new files packed into one encrypted tar per backup.

Stored files never change under their name (every name is a fresh random one), so each
backup packs only the files no earlier kept backup holds; a backup's manifest says, for
every file the store had, which pack holds it.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import Storage

from .age import BackupError, decrypting


def pack(storage: Storage, names: Iterable[tuple[str, int]], out: IO[bytes]) -> list[str]:
    """Write each (name, size) file of `storage` into a tar stream; returns the names packed.

    Streamed: age encrypts the tar as it is written, never the whole pack in memory. A
    file gone since it was listed is left out: only files no committed row names are
    deleted at once (cases/file_deletions.py), e.g. an upload whose request failed.
    """
    packed = []
    with tarfile.open(fileobj=out, mode="w|") as tar:
        for name, _listed_size in names:
            try:
                with storage.open(name, "rb") as stored:  # one file at a time, capped in size
                    data = stored.read()
            except Exception:
                if storage.exists(name):
                    raise
                continue
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            packed.append(name)
    return packed


def unpack(storage: Storage, pack_file: Path, identity: Path, wanted: set[str]) -> int:
    """Put every file of `pack_file` that `wanted` names back under its own name."""
    restored = 0
    with decrypting(pack_file, identity) as plain, tarfile.open(fileobj=plain, mode="r|") as tar:
        for member in tar:
            if not member.isfile() or member.name not in wanted:
                continue
            # Whole files in memory, one at a time: uploads are capped (UPLOAD_MAX_BYTES).
            data = tar.extractfile(member).read()
            saved = storage.save(member.name, ContentFile(data))
            if saved != member.name:
                raise BackupError(f"the store renamed {member.name} to {saved}: not empty?")
            restored += 1
    return restored
