"""Verifying a file, not only a code: the /verify/ page and the API take the PDF itself
and say whether it is ours and unchanged, and what became of the document since."""

from __future__ import annotations

import datetime
import hashlib

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.certificates import services
from cases.certificates.services import issue_transfer_certificate, stored_pdf
from cases.certificates.versions import reissue_certificate, revoke_certificate
from tests.support.certificates import APPROVED, ISSUED, NO_FEES, blank_pdf, ready_case
from tests.support.factories import PropertyFactory
from tests.support.pages import Page
from tests.support.signing import STRANGER_ORG, sign_as, with_byte_changed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("verification")]
API = "/api/v1/verify/file"
LATER = ISSUED + datetime.timedelta(days=1)


def api(client, data: bytes) -> dict:
    with time_machine.travel(LATER, tick=False):
        response = client.post(API, {"file": SimpleUploadedFile("x.pdf", data)})
    assert response.status_code == 200, response.content
    return response.json()


def page(client, data: bytes):
    with time_machine.travel(LATER, tick=False):
        return client.post(reverse("verify:file"),
                           {"file": SimpleUploadedFile("x.pdf", data, "application/pdf")})


def test_the_issued_file_is_genuine_and_current(client, transfer):
    pdf = stored_pdf(transfer)
    body = api(client, pdf)
    assert body["outcome"] == "genuine" and body["later_changes"] == "none"
    assert body["document"]["tracking_number"] == transfer.case.tracking_number
    assert body["document"]["state"] == "valid"
    text = Page.of(page(client, pdf)).text
    assert "همان سندی است که شهرداری صادر کرده" in text and "باطل" not in text


def test_a_byte_changed_after_signing_is_altered(client, transfer):
    altered = with_byte_changed(stored_pdf(transfer))
    body = api(client, altered)
    assert body["outcome"] == "altered" and body["document"] is None
    assert "پس از امضای شهرداری تغییر کرده است" in Page.of(page(client, altered)).text


def test_a_revoked_document_is_genuine_but_revoked_and_names_its_replacement(client, transfer):
    first = stored_pdf(transfer)
    with time_machine.travel(ISSUED + datetime.timedelta(hours=1), tick=False):
        revoke_certificate(transfer, actor=None, reason="اشتباه در نشانی")
    assert api(client, first)["outcome"] == "revoked"
    with time_machine.travel(ISSUED, tick=False):
        fresh = reissue_certificate(transfer.case, actor=None, reason="اصلاح نشانی")
    body = api(client, first)
    assert (body["outcome"], body["current_version"]) == ("revoked", 2)
    assert "نسخه ۲ جایگزین آن شده است" in Page.of(page(client, first)).text
    assert api(client, stored_pdf(fresh))["outcome"] == "genuine"


def test_a_file_signed_by_another_key_is_not_ours(client, signing_pki):
    forged = sign_as(signing_pki.stranger_p12, blank_pdf("a forgery"))
    body = api(client, forged)
    assert (body["outcome"], body["signer"]) == ("not_ours", STRANGER_ORG)
    assert "امضای شهرداری را ندارد" in Page.of(page(client, forged)).text


def test_signed_again_after_us_keeps_ours_intact_and_names_who(client, transfer, signing_pki):
    countersigned = sign_as(signing_pki.stranger_p12, stored_pdf(transfer), field="Notary")
    body = api(client, countersigned)
    assert body["outcome"] == "signed_after"
    assert body["later_signers"] == [STRANGER_ORG] and body["later_changes"] == "signatures"
    assert body["document"]["tracking_number"] == transfer.case.tracking_number
    assert STRANGER_ORG in Page.of(page(client, countersigned)).text


def test_a_document_issued_before_signatures_is_known_by_its_stored_hash(
        client, monkeypatch):
    monkeypatch.setattr(services, "sign_issued", lambda certificate, pdf: pdf)
    with time_machine.travel(ISSUED, tick=False):
        old = issue_transfer_certificate(ready_case(), inspection=APPROVED, fees=NO_FEES)
    pdf = stored_pdf(old)
    assert old.signed_sha256 == "" and old.sha256 == hashlib.sha256(pdf).hexdigest()
    body = api(client, pdf)
    assert body["outcome"] == "before_signatures"
    assert body["document"]["tracking_number"] == old.case.tracking_number
    # Unsigned and not byte for byte ours: not ours.
    assert api(client, blank_pdf("another"))["outcome"] == "not_ours"


@pytest.mark.parametrize("data", [b"", b"GIF89a not a pdf", b"%PDF-1.7\n1 0 obj <<"])
def test_what_is_not_a_readable_pdf_is_told_so(client, data):
    assert api(client, data)["outcome"] == "unreadable" if data else True
    if data:
        assert "PDF خوانایی نیست" in Page.of(page(client, data)).text


def test_a_file_over_the_limit_is_refused_unread(client, transfer, settings):
    settings.VERIFY_UPLOAD_MAX_BYTES = 1000
    response = client.post(API, {"file": SimpleUploadedFile("x.pdf", stored_pdf(transfer))})
    assert (response.status_code, response.json()["code"]) == (413, "too_large")
    assert page(client, stored_pdf(transfer)).status_code == 413


def test_files_and_codes_share_one_allowance_per_address(client, transfer, settings):
    settings.VERIFY_LOOKUPS_PER_WINDOW = 2
    pdf = stored_pdf(transfer)

    def upload(url):  # at the real time, as the allowance's window runs on it
        return client.post(url, {"file": SimpleUploadedFile("x.pdf", pdf)})

    assert upload(reverse("verify:file")).status_code == 200
    assert client.get(reverse("verify:page"), {"t": "1", "c": "2"}).status_code == 404
    assert upload(reverse("verify:file")).status_code == 429
    response = upload(API)
    assert (response.status_code, response.json()["code"]) == (429, "too_many_requests")


def test_the_page_offers_the_file_check_and_get_is_not_allowed_on_it(client):
    text = Page.of(client.get(reverse("verify:page"))).text
    assert "بررسی فایل PDF" in text and "بررسی فایل" in text
    assert client.get(reverse("verify:file")).status_code == 405
    assert client.post(reverse("verify:file")).status_code == 400


def test_another_property_is_not_confused_with_ours(client, transfer):
    other = issue_transfer_certificate(
        ready_case(property=PropertyFactory(renovation_code="3-114-25-1-0-0-5")),
        inspection=APPROVED, fees=NO_FEES)
    body = api(client, stored_pdf(other))
    assert body["document"]["tracking_number"] == other.case.tracking_number


def test_a_signature_dictionary_too_broken_to_read_is_an_answer_not_an_error(client, transfer):
    # Our signature's byte range made a string: pyHanko cannot list the signatures.
    broken = stored_pdf(transfer).replace(b"/ByteRange [", b"/ByteRange (", 1)
    body = api(client, broken)
    assert body["outcome"] == "unreadable" and body["document"] is None
