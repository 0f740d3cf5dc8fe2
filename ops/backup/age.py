"""Encryption at rest with age (the Debian package `age`).

Why age rather than our own format on `cryptography`: a published, reviewed file format
(authenticated, streamed in chunks), encrypted to public keys — the host that takes the
backups holds no key that opens them — and an operator can decrypt a file by hand with
the same tool, without this code, on the day it matters.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.conf import settings


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why, for the operator."""


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian package 'age')")
    return found


def recipients() -> list[str]:
    """The public keys every backup file is encrypted to."""
    if settings.BACKUP_AGE_RECIPIENTS:
        return list(settings.BACKUP_AGE_RECIPIENTS)
    if not settings.DEBUG:
        raise BackupError("BACKUP_AGE_RECIPIENTS is empty: set the operators' age public "
                          "key(s) (age-keygen makes a pair; keep the private one off this host)")
    return [_public_key(dev_identity())]


def dev_identity() -> Path:
    """make run's key, made on first use: backups on a laptop are still encrypted."""
    path = Path(settings.BACKUP_DEV_IDENTITY)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([_binary("age-keygen"), "-o", str(path)], check=True,
                       capture_output=True, timeout=30)
        path.chmod(0o600)
    return path


def default_identity() -> Path | None:
    """Where restore finds the private key when none is given: only make run's own."""
    if settings.DEBUG and not settings.BACKUP_AGE_RECIPIENTS:
        return dev_identity()
    return None


def _public_key(identity: Path) -> str:
    result = subprocess.run([_binary("age-keygen"), "-y", str(identity)], check=True,
                            capture_output=True, text=True, timeout=30)
    return result.stdout.strip()


@contextlib.contextmanager
def encrypting(target: Path) -> Iterator[IO[bytes]]:
    """A pipe whose bytes land encrypted in `target` (written as .partial, renamed once
    age has finished, so a file under its final name is always whole)."""
    partial = target.with_name(target.name + ".partial")
    args = [_binary("age")]
    for recipient in recipients():
        args += ["-r", recipient]
    process = subprocess.Popen([*args, "-o", str(partial)], stdin=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        yield process.stdin
    except BaseException as error:
        process.kill()
        process.wait()
        partial.unlink(missing_ok=True)
        if isinstance(error, BrokenPipeError):  # age itself stopped (a full disk …)
            detail = process.stderr.read().decode(errors="replace").strip()
            raise BackupError(f"age stopped writing {target.name}: {detail}") from error
        raise
    process.stdin.close()
    error = process.stderr.read().decode(errors="replace")
    if process.wait() != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"age could not encrypt {target.name}: {error.strip()}")
    partial.rename(target)


@contextlib.contextmanager
def decrypting(source: Path, identity: Path) -> Iterator[IO[bytes]]:
    """The plain bytes of `source`, read from age; a wrong key or a changed file fails."""
    process = subprocess.Popen([_binary("age"), "-d", "-i", str(identity), str(source)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        yield process.stdout
        process.stdout.read()  # drain, so age reaches the end and checks the last chunk
    finally:
        process.stdout.close()
        error = process.stderr.read().decode(errors="replace")
        code = process.wait()
    if code != 0:
        raise BackupError(f"age could not decrypt {source.name}: {error.strip()}")
