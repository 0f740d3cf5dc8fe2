"""Public verification: does a (tracking number, verification code) pair name a document?

Anyone may ask, so the answer is only ever "this document" or "no": a failure never
says which half was wrong, and lookups per client address are limited.
"""

from __future__ import annotations

import datetime
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

from cases.persian import clean_number_input
from cases.tracking import parse_tracking_number

from .models import Certificate, CertificateKind

LOOKUPS_PER_WINDOW = 20
WINDOW_SECONDS = 10 * 60
_CODE = re.compile(r"[0-9]{8}")
_SPACING = re.compile(r"[\s\-\u2010-\u2015\u2212]")
# Compared against when the tracking number matches nothing, so that a miss costs
# the same as a wrong code.
_NO_CODE = "--------"

VALID = "valid"
REVOKED = "revoked"
EXPIRED = "expired"


@dataclass(frozen=True)
class VerifiedDocument:
    """What the document itself shows, never more (no citizen, phone or documents)."""

    kind: str
    kind_label: str
    tracking_number: str
    issued_at: datetime.datetime
    valid_until: datetime.datetime
    renovation_code: str
    address: str
    letter_institution: str
    letter_number: str
    owners: tuple[str, ...]  # the property's owners, as printed; never the applicant
    version: int
    state: str
    replaced: bool  # a newer version of the document was issued (and this one revoked)


def lookup_allowed(client_address: str) -> bool:
    """Count one lookup for `client_address`; False once it has had its share."""
    key = f"certificate-verify:{client_address or 'unknown'}"
    window = getattr(settings, "VERIFY_WINDOW_SECONDS", WINDOW_SECONDS)
    cache.add(key, 0, timeout=window)  # the window starts with the first lookup
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= getattr(settings, "VERIFY_LOOKUPS_PER_WINDOW", LOOKUPS_PER_WINDOW)


def verify(raw_tracking: str, raw_code: str, *, now: datetime.datetime) -> VerifiedDocument | None:
    """The document the pair names, with its state at `now`; None for anything else."""
    try:
        tracking = parse_tracking_number(raw_tracking or "")
    except ValidationError:
        return None
    code = _SPACING.sub("", clean_number_input(raw_code or ""))
    if not _CODE.fullmatch(code):
        return None
    # Every version of the case's document: a replaced one still answers, as revoked.
    versions = list(
        Certificate.objects.select_related("issued_for__property")
        .filter(issued_for__tracking_number=tracking)
    ) or [None]
    found = None
    for certificate in versions:
        expected = certificate.verification_code if certificate else _NO_CODE
        # Compared in constant time, and all of them: timing tells nothing either.
        if hmac.compare_digest(expected.encode(), code.encode()) and certificate is not None:
            found = certificate
    if found is None:
        return None
    newest = max(c.version for c in versions if c is not None)
    return document_of(found, now, replaced=found.version < newest)


def document_of(certificate: Certificate, now: datetime.datetime,
              replaced: bool = False) -> VerifiedDocument:
    case = certificate.issued_for
    if certificate.revoked_at is not None and certificate.revoked_at <= now:
        state = REVOKED
    elif now >= certificate.valid_until:
        state = EXPIRED
    else:
        state = VALID
    inquiry = certificate.kind == CertificateKind.INQUIRY_ANSWER
    return VerifiedDocument(
        kind=certificate.kind,
        kind_label=certificate.get_kind_display(),
        tracking_number=case.tracking_number,
        issued_at=certificate.issued_at,
        valid_until=certificate.valid_until,
        renovation_code=case.property.renovation_code,
        address=case.property.address,
        letter_institution=case.letter_institution if inquiry else "",
        letter_number=case.letter_number if inquiry else "",
        owners=tuple(case.property.owners),
        version=certificate.version,
        state=state,
        replaced=replaced,
    )
