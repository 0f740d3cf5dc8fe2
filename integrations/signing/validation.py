"""Reading a signed PDF back: is its first signature intact, whose is it, what came after.

Offline: nothing is fetched. The answer is about the file alone; what the service's
records say of the document (revoked, replaced) is for the caller.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from io import BytesIO

from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import CertificateValidator, ValidationContext

from .base import subject_name
from .event_loop import outside_event_loop

log = logging.getLogger(__name__)

NONE, TIMESTAMPS, SIGNATURES, FORM, ANNOTATIONS, OTHER = (
    "none", "timestamps", "signatures", "form", "annotations", "other")
_LEVELS = {ModificationLevel.NONE: NONE, ModificationLevel.LTA_UPDATES: TIMESTAMPS,
           ModificationLevel.FORM_FILLING: FORM, ModificationLevel.ANNOTATIONS: ANNOTATIONS}


@dataclass(frozen=True)
class SignatureCheck:
    signer: str
    intact: bool  # the bytes it covers are unchanged and the signature is sound
    trusted: bool  # its certificate chains to one of the trust roots given
    signed_sha256: str  # of the revision it signs (the file as it was when signed)
    later_changes: str  # NONE, TIMESTAMPS, SIGNATURES, FORM, ANNOTATIONS or OTHER
    later_signers: tuple[str, ...]  # who signed after it


@dataclass(frozen=True)
class PdfCheck:
    readable: bool
    first: SignatureCheck | None  # the earliest signature: the issuer's, on our documents


def check_pdf(data: bytes, trust_roots: list[x509.Certificate],
              timestamp_roots: list[x509.Certificate] = ()) -> PdfCheck:
    """`timestamp_roots`: the TSA's roots, when another CA certified it."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:  # noqa: BLE001 — anyone's file: whatever breaks, unreadable
        log.info("an unreadable PDF was checked: %r", error)
        return PdfCheck(readable=False, first=None)
    try:
        regular = [s for s in signatures if s.sig_object_type == "/Sig"]
        if not regular:
            return PdfCheck(readable=True, first=None)
        return PdfCheck(readable=True, first=_check_first(
            data, regular[0], regular[1:], trust_roots, timestamp_roots))
    except Exception as error:  # noqa: BLE001 — a signature dictionary too broken to read
        log.info("an unreadable signature was checked: %r", error)
        return PdfCheck(readable=True, first=SignatureCheck(
            signer="", intact=False, trusted=False, signed_sha256="", later_changes=OTHER,
            later_signers=()))


def _check_first(data: bytes, first, later, trust_roots, timestamp_roots) -> SignatureCheck:
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False,
                                revocation_mode="soft-fail")
    stamps = ValidationContext(trust_roots=[*trust_roots, *timestamp_roots],
                               allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = outside_event_loop(validate_pdf_signature, first,
                                    signer_validation_context=context,
                                    ts_validation_context=stamps)
        intact, trusted = status.intact and status.valid, status.trusted
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        level = status.modification_level
        signer = subject_name(status.signing_cert)
    except Exception as error:  # noqa: BLE001 — a mangled signature is "not intact"
        log.info("a signature could not be validated: %r", error)
        intact, trusted, whole, level, signer = False, False, True, None, ""
    if not intact:
        # pyHanko judges no trust once the digest fails; whose key it was still matters:
        # ours and broken is "altered", a stranger's is "not ours".
        trusted, signer = _chain_trusted(first, context), signer or _signer_of(first)
    changes = NONE if whole else _LEVELS.get(level, OTHER)
    if later and changes in (FORM, ANNOTATIONS, NONE):
        changes = SIGNATURES  # signing a field is "form filling" to the diff analysis
    covered = first.byte_range[2] + first.byte_range[3]
    return SignatureCheck(
        signer=signer, intact=intact, trusted=trusted,
        signed_sha256=hashlib.sha256(data[:covered]).hexdigest(), later_changes=changes,
        later_signers=tuple(_signer_of(s) for s in later))


def _chain_trusted(signature, context: ValidationContext) -> bool:
    try:
        certificates = list(signature.signed_data["certificates"])
        others = [c.chosen for c in certificates if c.chosen != signature.signer_cert]
        validator = CertificateValidator(signature.signer_cert, intermediate_certs=others,
                                         validation_context=context)
        outside_event_loop(asyncio.run, validator.async_validate_path())
    except Exception:  # noqa: BLE001 — no path to our roots, for whatever reason
        return False
    return True


def _signer_of(signature) -> str:
    try:
        return subject_name(signature.signer_cert)
    except Exception:  # noqa: BLE001 — a stranger's broken signature still counts as one
        return ""
