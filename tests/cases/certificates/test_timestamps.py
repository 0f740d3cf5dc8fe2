"""A TSA makes the signature B-T; a TSA that does not answer never holds a document: it
is signed B-B, and the periodic task time-stamps it once the TSA answers, appending to
the file so that every byte signed before (and every copy handed out) stays valid."""

from __future__ import annotations

import hashlib
import time
from io import BytesIO

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko_certvalidator import ValidationContext

from cases.certificates.file_check import GENUINE, check_file
from cases.certificates.models import Certificate, ImmutableCertificate
from cases.certificates.services import issue_transfer_certificate, stored_pdf
from cases.certificates.timestamping import add_pending_timestamps
from cases.models import FileDeletion
from tests.support.certificates import APPROVED, NO_FEES, ready_case
from tests.support.tsa import TimestampServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def tsa(signing_pki, settings):
    server = TimestampServer(signing_pki)
    settings.SIGNING_TSA_URL = server.url
    yield server
    server.stop()


@pytest.fixture
def tsa_down(signing_pki, settings):
    """A TSA whose address answers nothing: its server was stopped."""
    server = TimestampServer(signing_pki)
    server.stop()
    settings.SIGNING_TSA_URL = server.url
    return server


def contexts(pki):
    ours = ValidationContext(trust_roots=[pki.asn1(pki.root)], allow_fetching=False)
    tsa = ValidationContext(trust_roots=[pki.asn1(pki.tsa_root)], allow_fetching=False)
    return ours, tsa


def test_with_a_tsa_the_signature_carries_its_time_stamp(tsa, signing_pki):
    certificate = issue_transfer_certificate(ready_case(), inspection=APPROVED, fees=NO_FEES)
    ours, stamps = contexts(signing_pki)
    signature = PdfFileReader(BytesIO(stored_pdf(certificate))).embedded_signatures[0]
    status = validate_pdf_signature(signature, ours, ts_validation_context=stamps)
    assert status.intact and status.trusted
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    assert (certificate.signature_level, certificate.timestamp_pending) == ("B-T", False)
    assert tsa.requests == 1


def test_a_tsa_outage_gives_b_b_at_once_and_the_time_stamp_comes_later(
        tsa_down, signing_pki, settings):
    started = time.monotonic()
    certificate = issue_transfer_certificate(ready_case(), inspection=APPROVED, fees=NO_FEES)
    assert time.monotonic() - started < 5  # not held by the TSA
    assert (certificate.signature_level, certificate.timestamp_pending) == ("B-B", True)
    signed = stored_pdf(certificate)

    # Still away: nothing changes, the document keeps waiting.
    assert add_pending_timestamps() == 0
    assert Certificate.objects.get(pk=certificate.pk).timestamp_pending

    tsa = TimestampServer(signing_pki)  # back, at its address
    settings.SIGNING_TSA_URL = tsa.url
    try:
        assert add_pending_timestamps() == 1
        assert add_pending_timestamps() == 0  # done once
    finally:
        tsa.stop()
    certificate.refresh_from_db()
    stamped = stored_pdf(certificate)  # checks the stored hash, too
    assert (certificate.signature_level, certificate.timestamp_pending) == ("B-T", False)
    assert stamped.startswith(signed) and len(stamped) > len(signed)
    assert certificate.signed_sha256 == hashlib.sha256(signed).hexdigest()
    # Our signature as it was, then a document time-stamp the TSA's root vouches for.
    ours, stamps = contexts(signing_pki)
    reader = PdfFileReader(BytesIO(stamped))
    first, stamp = reader.embedded_signatures
    assert validate_pdf_signature(first, ours).intact
    assert stamp.sig_object_type == "/DocTimeStamp"
    assert validate_pdf_timestamp(stamp, validation_context=stamps).trusted
    # Both the new file and a copy handed out before are ours and unchanged.
    for copy in (stamped, signed):
        assert check_file(copy, now=certificate.issued_at).outcome == GENUINE
    assert check_file(stamped, now=certificate.issued_at).later_changes == "timestamps"
    # The file without the time-stamp goes with the backup window, like any other.
    assert FileDeletion.objects.filter(name__startswith="certificates/").count() == 1


def test_nothing_else_of_an_issued_certificate_may_change(tsa_down):
    certificate = issue_transfer_certificate(ready_case(), inspection=APPROVED, fees=NO_FEES)
    certificate.sha256 = "0" * 64
    with pytest.raises(ImmutableCertificate):
        certificate.save(update_fields=["sha256"])


def test_for_long_keeping_the_chain_is_embedded_and_a_document_time_stamp_covers_it(
        tsa, signing_pki, settings):
    settings.SIGNING_VALIDATION_INFO = True
    settings.SIGNING_LTA = True
    settings.SIGNING_TSA_ROOTS = [str(signing_pki.tsa_root_pem)]
    certificate = issue_transfer_certificate(ready_case(), inspection=APPROVED, fees=NO_FEES)
    assert certificate.signature_level == "B-LTA"
    reader = PdfFileReader(BytesIO(stored_pdf(certificate)))
    first, stamp = reader.embedded_signatures
    assert "/DSS" in reader.root  # the validation data, in the document itself
    ours, stamps = contexts(signing_pki)
    status = validate_pdf_signature(first, ours, ts_validation_context=stamps)
    assert status.intact and status.trusted and status.timestamp_validity.trusted
    assert stamp.sig_object_type == "/DocTimeStamp"
    assert validate_pdf_timestamp(stamp, validation_context=stamps).trusted
    assert check_file(stored_pdf(certificate), now=certificate.issued_at).outcome == GENUINE
