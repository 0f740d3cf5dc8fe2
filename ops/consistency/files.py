"""Documents and their files: present, of the recorded size, with the recorded hash."""

from __future__ import annotations

import hashlib

from django.core.files.storage import Storage

from cases.documents.models import CaseDocument

from .report import Report, Share

CHUNK = 1 << 20


def sha256_of(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_documents(storage: Storage, listed: dict[str, int], share: Share,
                    report: Report) -> None:
    rows = (CaseDocument.objects.exclude(file="").order_by()
            .values_list("pk", "case_id", "file", "thumbnail", "size", "sha256"))
    for pk, case_id, name, thumbnail, size, sha256 in rows.iterator(chunk_size=5000):
        report.count("documents")
        where = f"document {pk} (case {case_id})"
        if name not in listed:
            report.mismatch("document file missing", f"{where}: {name} is not in the store")
            continue
        if listed[name] != size:
            report.mismatch("document size differs",
                            f"{where}: {name} has {listed[name]} bytes, the row says {size}")
        elif share.holds(pk):
            report.count("documents re-hashed")
            if sha256_of(storage, name) != sha256:
                report.mismatch("document hash differs",
                                f"{where}: {name} no longer has its recorded SHA-256")
        if thumbnail and thumbnail not in listed:
            report.mismatch("thumbnail missing", f"{where}: {thumbnail} is not in the store")
