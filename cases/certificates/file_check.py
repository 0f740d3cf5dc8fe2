"""Checking a file, not only a code: is this PDF one we issued, as we issued it?

The signature says whether the bytes are ours and unchanged (integrations/signing);
the records say what became of the document since (revoked, replaced). A document
issued before signatures is known by the hash taken when it was issued.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from integrations.signing import validation
from integrations.signing.loader import trust_roots, tsa_roots

from .lookup import VerifiedDocument, document_of
from .models import Certificate

GENUINE = "genuine"  # ours, unchanged (a later time-stamp of ours aside); see document.state
REVOKED = "revoked"  # ours, unchanged, but revoked (and maybe replaced)
BEFORE_SIGNATURES = "before_signatures"  # issued unsigned, byte for byte as we stored it
ALTERED = "altered"  # our signature no longer matches, or changes were added after it
SIGNED_AFTER = "signed_after"  # ours intact, then signed by someone else
NOT_OURS = "not_ours"  # unsigned and unknown, or signed by a key we do not know
UNREADABLE = "unreadable"  # not a PDF we can read
OUTCOMES = (GENUINE, REVOKED, BEFORE_SIGNATURES, ALTERED, SIGNED_AFTER, NOT_OURS, UNREADABLE)


@dataclass(frozen=True)
class FileVerdict:
    outcome: str
    document: VerifiedDocument | None = None  # what our records say, when we know it
    signer: str = ""  # whose signature the file's first one is
    later_changes: str = validation.NONE  # what was added after our signature
    later_signers: tuple[str, ...] = field(default_factory=tuple)
    current_version: int | None = None  # the version that replaced a revoked one


def check_file(data: bytes, *, now: datetime.datetime) -> FileVerdict:
    digest = hashlib.sha256(data).hexdigest()
    unsigned = _certificate(sha256=digest, signed_sha256="")
    if unsigned is not None:
        return _known(BEFORE_SIGNATURES, unsigned, now)
    check = validation.check_pdf(data, trust_roots(), tsa_roots())
    if not check.readable:
        return FileVerdict(UNREADABLE)
    first = check.first
    if first is None or not first.trusted:
        return FileVerdict(NOT_OURS, signer=first.signer if first else "")
    if not first.intact:
        return FileVerdict(ALTERED, signer=first.signer)
    certificate = _certificate(signed_sha256=first.signed_sha256)
    if certificate is None:  # our key, but not a document we recorded issuing
        return FileVerdict(NOT_OURS, signer=first.signer)
    extra = {"signer": first.signer, "later_changes": first.later_changes,
             "later_signers": first.later_signers}
    if first.later_changes == validation.SIGNATURES:
        return _known(SIGNED_AFTER, certificate, now, **extra)
    if first.later_changes not in (validation.NONE, validation.TIMESTAMPS):
        return _known(ALTERED, certificate, now, **extra)
    outcome = REVOKED if certificate.revoked_at and certificate.revoked_at <= now else GENUINE
    return _known(outcome, certificate, now, **extra)


def _certificate(**match) -> Certificate | None:
    return (Certificate.objects.select_related("issued_for__property")
            .filter(**match).first())


def _known(outcome: str, certificate: Certificate, now: datetime.datetime,
           **extra) -> FileVerdict:
    newest = (Certificate.objects.filter(issued_for_id=certificate.issued_for_id)
              .order_by("-version").values_list("version", flat=True).first())
    replaced = newest is not None and newest > certificate.version
    return FileVerdict(outcome, document=document_of(certificate, now, replaced=replaced),
                       current_version=newest if replaced else None, **extra)
