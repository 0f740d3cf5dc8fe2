"""Every issued document is signed with the configured key (PAdES), its visible field
laid over the seal block the page draws in Persian, and none is stored unsigned."""

from __future__ import annotations

import hashlib
import os
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
import time_machine
from asn1crypto import pem, x509
from PIL import Image, ImageChops
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from cases.certificates import versions
from cases.certificates.models import Certificate
from cases.certificates.services import certificate_pdf, issue_transfer_certificate
from integrations.signing.base import SigningUnavailable
from integrations.signing.devpki import DEV_CA_NAME
from tests.support.certificates import APPROVED, ISSUED, NO_FEES, ready_case
from tests.support.factories import PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).with_name("reference")
DPI = 100
LEVELS, SHARE = 32, 0.002  # as test_look: anti-aliasing may differ, ink may not move


def issued_pdf() -> tuple[Certificate, bytes]:
    citizen = UserFactory(username="look", first_name="نرگس", last_name="رضایی")
    case = ready_case(citizen=citizen)
    with time_machine.travel(ISSUED, tick=False):
        certificate = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    return certificate, certificate_pdf(case)


def validated(pdf: bytes, root: x509.Certificate):
    signature = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[root], allow_fetching=False)
    return signature, validate_pdf_signature(signature, signer_validation_context=context)


def test_the_issued_pdf_validates_against_the_test_root_signed_by_the_configured_key(
        signing_pki):
    certificate, pdf = issued_pdf()
    signature, status = validated(pdf, signing_pki.asn1(signing_pki.root))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.dump() == signing_pki.asn1(signing_pki.signer).dump()
    # PAdES, and the chain is in the file: a reader needs only the root.
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert len(signature.signed_data["certificates"]) == 2
    assert certificate.signature_level == "B-B" and not certificate.timestamp_pending
    assert certificate.signed_sha256 == hashlib.sha256(pdf).hexdigest() == certificate.sha256


def test_another_root_does_not_trust_it(signing_pki):
    _, pdf = issued_pdf()
    _, status = validated(pdf, signing_pki.asn1(signing_pki.tsa_root))
    assert status.intact and not status.trusted


def test_the_visible_field_lies_over_the_seal_block_which_reads_in_persian(
        signing_pki, tmp_path):
    _, pdf = issued_pdf()
    signature = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    field = signature.sig_field
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    assert (round((x2 - x1) / 72 * 25.4), round((y2 - y1) / 72 * 25.4)) == (64, 44)
    page_height = 841.89
    crop = ["-x", str(round(x1 / 72 * DPI)), "-y", str(round((page_height - y2) / 72 * DPI)),
            "-W", str(round((x2 - x1) / 72 * DPI)), "-H", str(round((y2 - y1) / 72 * DPI))]
    # What the field covers, as text: the seal's title, the signer and the Jalali date.
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-r", str(DPI), *crop, "-", "-"],
                          input=pdf, capture_output=True, check=True).stdout.decode()
    for words in ("محل مهر و امضای واحد صدور", "امضای الکترونیکی", "شهرداری آزمایشی تهران",
                  "۱۴۰۵/۰۹/۰۳"):
        assert words in text, text
    # And as an image: the shaped, right-to-left block as it was reviewed.
    png = subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(DPI), "-f", "1", "-l", "1",
                          *crop, "-singlefile", "-"], input=pdf, capture_output=True,
                         check=True).stdout
    image = Image.open(BytesIO(png)).convert("L")
    reference = REFERENCE / "signature_block-1.png"
    if os.environ.get("UPDATE_LOOK_REFERENCES") == "1":
        image.save(reference, optimize=True)
        pytest.fail("wrote the signature block's reference image: review, then commit")
    kept = Image.open(reference).convert("L")
    assert image.size == kept.size
    histogram = ImageChops.difference(image, kept).histogram()
    assert sum(histogram[LEVELS + 1:]) / (image.size[0] * image.size[1]) <= SHARE
    # Not a blank box compared with a blank box: the block has ink.
    assert sum(image.histogram()[:128]) > 500


def test_a_new_version_is_signed_too(signing_pki):
    certificate, _ = issued_pdf()
    fresh = versions.reissue_certificate(certificate.issued_for, actor=None, reason="اصلاح")
    _, status = validated(certificate_pdf(fresh.issued_for), signing_pki.asn1(signing_pki.root))
    assert fresh.version == 2 and status.intact and status.trusted
    assert fresh.signed_sha256 != certificate.signed_sha256


def test_without_a_key_in_production_nothing_is_issued(settings):
    settings.DEBUG = False
    settings.SIGNING_PKCS12_PATH = ""
    settings.SIGNING_RETRY_SECONDS = 0
    case = ready_case()
    with pytest.raises(SigningUnavailable):
        issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    assert not Certificate.objects.exists()
    assert not list(Path(settings.PRIVATE_STORAGE_ROOT).rglob("*.pdf"))


def test_with_debug_on_a_development_key_is_made_once_and_says_it_is_not_trusted(
        settings, tmp_path):
    settings.DEBUG = True
    settings.SIGNING_PKCS12_PATH = ""
    settings.SIGNING_DEV_DIR = str(tmp_path / "signing")
    first = issue_transfer_certificate(ready_case(), inspection=APPROVED, fees=NO_FEES)
    key_file = tmp_path / "signing" / "dev-signer.p12"
    made = key_file.stat().st_mtime_ns
    other = PropertyFactory(renovation_code="3-114-25-1-0-0-5")
    second = issue_transfer_certificate(ready_case(property=other), inspection=APPROVED,
                                        fees=NO_FEES)
    assert key_file.stat().st_mtime_ns == made
    chains = []
    for certificate in (first, second):
        signature = PdfFileReader(BytesIO(certificate_pdf(certificate.issued_for)))
        chains.append(signature.embedded_signatures[0].signer_cert)
    assert chains[0].dump() == chains[1].dump()
    assert chains[0].issuer.native["common_name"] == DEV_CA_NAME
    assert "نامعتبر" in chains[0].subject.native["organization_name"]
    # Its own root trusts it (what /verify/ checks on `make run`); no other root does.
    root = x509.Certificate.load(pem.unarmor(
        (tmp_path / "signing" / "dev-root.pem").read_bytes())[2])
    _, status = validated(certificate_pdf(first.issued_for), root)
    assert status.intact and status.trusted
