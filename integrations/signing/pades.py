"""Signing a PDF (PAdES) and time-stamping it later, whatever backend holds the key.

Levels (ETSI EN 319 142-1): B-B, the signature with its certificate chain; B-T, with a
time-stamp from a TSA; B-LT, with validation data (the chain, and OCSP/CRL answers where
they can be fetched) in the document's DSS; B-LTA, with a document time-stamp over it all.
A TSA that does not answer never holds a document: it is signed B-B and time-stamped
later (`add_document_timestamp`, which EN 319 142-1 accepts for B-T).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from io import BytesIO

from pkcs11.exceptions import PKCS11Error
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from .base import KeyBackend, SigningUnavailable, roots_of
from .event_loop import outside_event_loop

log = logging.getLogger(__name__)
FIELD_NAME = "Signature1"
# Room for the CMS container: a chain of three or four certificates and a TSA's token
# with its own chain fit in 16 KB. Reserving it skips pyHanko's trial signature, which
# would cost a second signing operation (on an HSM, a second round trip).
RESERVED_BYTES = 16384
# The page draws the signature's block (shaped Persian text); the field's own appearance
# is left empty so that it does not cover it.
_EMPTY_APPEARANCE = TextStampStyle(stamp_text="", border_width=0)
# What a key that may work on the next try raises; anything else (pyHanko's SigningError
# about the document, say) is a bug in the document or the configuration.
_KEY_FAILURES = (SigningUnavailable, PKCS11Error, OSError)


@dataclass(frozen=True)
class Placement:
    """Where the visible field goes: a named destination the renderer wrote at the
    block's top-left corner (an element id, in WeasyPrint), and the block's size."""

    destination: str
    width_pt: float
    height_pt: float


@dataclass(frozen=True)
class Options:
    reason: str = ""
    location: str = ""
    timestamper: TimeStamper | None = None
    validation_info: bool = False
    lta: bool = False
    # Besides the key's own root, what the validation data is gathered against: the
    # TSA's root, when another CA certified it.
    extra_roots: tuple = ()
    attempts: int = 3
    retry_seconds: float = 0.5


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    level: str
    timestamp_missed: bool  # a TSA was asked and did not answer: time-stamp it later

    @property
    def signed_revision(self) -> bytes:
        """The file as the signature covers it: all of it, but for B-LT and B-LTA, whose
        validation data and document time-stamp are later revisions."""
        if self.level in ("B-B", "B-T"):
            return self.data
        from pyhanko.pdf_utils.reader import PdfFileReader

        first = PdfFileReader(BytesIO(self.data), strict=False).embedded_signatures[0]
        return self.data[:first.byte_range[2] + first.byte_range[3]]


def sign_pdf(pdf: bytes, backend: KeyBackend, options: Options,
             placement: Placement | None = None) -> SignedPdf:
    """`pdf` signed with the backend's key. SigningUnavailable after `options.attempts`
    failed tries of the key; a TSA failure falls back to B-B instead."""
    if options.timestamper is not None:
        try:
            return _with_retries(pdf, backend, options, placement)
        except TimestampRequestError as error:
            log.warning("TSA did not answer (%s): signing without a time-stamp", error)
            plain = Options(reason=options.reason, location=options.location,
                            attempts=options.attempts, retry_seconds=options.retry_seconds)
            return SignedPdf(_with_retries(pdf, backend, plain, placement).data, "B-B", True)
    return _with_retries(pdf, backend, options, placement)


def add_document_timestamp(pdf: bytes, timestamper: TimeStamper) -> bytes:
    """`pdf` with a document time-stamp appended (an incremental update: every byte
    signed before stays as it was). TimestampRequestError when the TSA does not answer."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    out = outside_event_loop(signers.PdfTimeStamper(timestamper).timestamp_pdf, writer,
                             md_algorithm="sha256")
    return out.getvalue()


def level_of(options: Options) -> str:
    if options.timestamper is None:
        return "B-B"
    if options.validation_info:
        return "B-LTA" if options.lta else "B-LT"
    return "B-T"


def _with_retries(pdf: bytes, backend: KeyBackend, options: Options,
                  placement: Placement | None) -> SignedPdf:
    for attempt in range(1, options.attempts + 1):
        try:
            return SignedPdf(_sign_once(pdf, backend, options, placement), level_of(options),
                             False)
        except TimestampRequestError:
            raise
        except (*_KEY_FAILURES, SigningError) as error:
            # pyHanko wraps a token's errors in SigningError: only those are retried.
            if isinstance(error, SigningError) and not isinstance(error.__cause__, _KEY_FAILURES):
                raise
            log.warning("signing failed (try %s of %s): %r", attempt, options.attempts, error)
            backend.reset()
            if attempt == options.attempts:
                raise SigningUnavailable(f"the signing key failed {attempt} times: {error!r}")
            time.sleep(options.retry_seconds * attempt)
    raise AssertionError("unreachable")


def _sign_once(pdf: bytes, backend: KeyBackend, options: Options,
               placement: Placement | None) -> bytes:
    signer = backend.signer()
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    context = None
    if options.validation_info:
        # Fetch OCSP/CRL where the certificates name responders; soft-fail: unreachable
        # responders leave the chain alone in the DSS instead of stopping the issue.
        context = ValidationContext(
            trust_roots=[*roots_of([signer.signing_cert, *signer.cert_registry]),
                         *options.extra_roots],
            allow_fetching=True, revocation_mode="soft-fail")
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=options.reason or None, location=options.location or None,
        # Certified (DocMDP) allowing form filling and further signatures: a notary may
        # sign after us; anything else is a change the validator names.
        certify=True, docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        embed_validation_info=options.validation_info, validation_context=context,
        use_pades_lta=options.lta and options.validation_info and bool(options.timestamper))
    box = _box(writer, placement) if placement else None
    spec = fields.SigFieldSpec(FIELD_NAME, box=box[1], on_page=box[0]) if box else None
    pdf_signer = signers.PdfSigner(meta, signer, timestamper=options.timestamper,
                                   stamp_style=_EMPTY_APPEARANCE, new_field_spec=spec)
    return outside_event_loop(pdf_signer.sign_pdf, writer,
                              bytes_reserved=RESERVED_BYTES).getvalue()


def _box(writer: IncrementalPdfFileWriter, placement: Placement):
    """(page index, (x1, y1, x2, y2)) of the placement's destination; None if absent
    (then the signature is invisible, still valid)."""
    try:
        names = writer.root["/Names"]["/Dests"]["/Names"]
    except KeyError:
        return None
    # A flat name tree, as WeasyPrint writes it: name, destination, name, destination …
    found = [names[i + 1] for i in range(0, len(names) - 1, 2)
             if names[i] == placement.destination]
    if not found:
        return None
    target = found[0]
    # raw_get: the references themselves, not the objects pyHanko would resolve them to.
    page_ref, left, top = target.raw_get(0), float(target[2]), float(target[3])
    kids = writer.root["/Pages"]["/Kids"]
    index = next((i for i in range(len(kids)) if kids.raw_get(i).idnum == page_ref.idnum), 0)
    return index, (left, top - placement.height_pt, left + placement.width_pt, top)
