"""Every issued document is signed before it is stored (PAdES, integrations/signing).

The page draws the signature's block (the signer and the Jalali date, shaped by the
renderer like all the Persian on it) and the signature's visible field is laid over that
block. A document is never stored unsigned: a key that cannot be reached stops the issue
(SigningUnavailable), which the issuing step retries and reports as an incident.
"""

from __future__ import annotations

import hashlib

from django.conf import settings

from integrations.signing import pades
from integrations.signing.loader import get_key_backend, get_timestamper, tsa_roots

from .models import Certificate

SIGNATURE_BLOCK_ID = "digital-signature"
# The block's outer size in static/css/certificate.css (.seal).
SEAL_WIDTH_MM, SEAL_HEIGHT_MM = 64, 44
POINTS_PER_MM = 72 / 25.4
PLACEMENT = pades.Placement(SIGNATURE_BLOCK_ID, SEAL_WIDTH_MM * POINTS_PER_MM,
                            SEAL_HEIGHT_MM * POINTS_PER_MM)
REASON = "صدور سند از سوی شهرداری"


def signature_block() -> dict:
    """What the page prints in the signature's block (the template's `signature`)."""
    return {"block_id": SIGNATURE_BLOCK_ID, "signer": get_key_backend().signer_name()}


def sign_issued(certificate: Certificate, pdf: bytes) -> bytes:
    """`pdf` signed; the unsaved `certificate` records how (level, hash, time-stamp due)."""
    signed = pades.sign_pdf(pdf, get_key_backend(), signing_options(), PLACEMENT)
    certificate.signed_sha256 = hashlib.sha256(signed.signed_revision).hexdigest()
    certificate.signature_level = signed.level
    certificate.timestamp_pending = signed.timestamp_missed
    return signed.data


def signing_options(*, timestamper=None) -> pades.Options:
    return pades.Options(
        reason=REASON, location=settings.SIGNING_LOCATION,
        timestamper=timestamper or get_timestamper(),
        validation_info=settings.SIGNING_VALIDATION_INFO, lta=settings.SIGNING_LTA,
        extra_roots=tuple(tsa_roots()) if settings.SIGNING_VALIDATION_INFO else (),
        attempts=settings.SIGNING_ATTEMPTS, retry_seconds=settings.SIGNING_RETRY_SECONDS)
