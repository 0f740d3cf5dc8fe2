"""The virus-scanner hook against a real clamd (INSTREAM over its socket): infected
files are refused, clean ones pass, and a configured scanner that cannot answer
refuses everything (fails closed)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cases.documents.services import store_document
from cases.documents.validation import clean_upload
from integrations.antivirus.clamd import ClamdScanner
from integrations.antivirus.loader import get_scanner
from tests.support import files
from tests.support.factories import CaseFactory
from tests.support.files import EICAR


@pytest.fixture
def scanning(settings, clamd_socket):
    settings.CLAMD_SOCKET = clamd_socket
    settings.CLAMD_HOST = ""
    return clamd_socket


def pdf_carrying_eicar() -> bytes:
    return files.pdf_bytes().replace(b"%%EOF", b"% " + EICAR + b"\n%%EOF")


def test_clamd_names_the_test_signature_and_passes_clean_bytes(clamd_socket):
    scanner = ClamdScanner(socket_path=clamd_socket)
    found = scanner.scan(EICAR)
    assert found.infected and found.signature.startswith("Test.EICAR")
    assert not scanner.scan(files.png_bytes()).infected
    # Larger than one INSTREAM chunk: the stream is sent in pieces.
    big = files.png_bytes((600, 600), noisy=True)
    assert len(big) > 64 * 1024
    assert scanner.scan(big + EICAR).infected


def test_eicar_string_named_jpg_is_refused(scanning):
    with pytest.raises(ValidationError) as refused:
        clean_upload(files.upload("photo.jpg", EICAR))
    assert refused.value.code == "infected"
    assert "آلوده" in refused.value.messages[0] and "photo.jpg" in refused.value.messages[0]


def test_pdf_carrying_eicar_is_refused_where_pdf_is_allowed(scanning):
    clean_pdf = clean_upload(files.upload("letter.pdf", files.pdf_bytes(), "application/pdf"),
                             allow_pdf=True)
    assert clean_pdf.content_type == "application/pdf"  # PDFs pass when clean
    with pytest.raises(ValidationError) as refused:
        clean_upload(files.upload("letter.pdf", pdf_carrying_eicar(), "application/pdf"),
                     allow_pdf=True)
    assert refused.value.code == "infected"


@pytest.mark.django_db
def test_clean_photo_is_scanned_and_stored(scanning):
    case = CaseFactory(applicant_role="owner")
    document = store_document(case, "national_card",
                              files.upload("card.jpg", files.jpeg_with_gps()), case.citizen)
    assert document.pk and document.content_type == "image/jpeg"


def test_configured_scanner_that_is_down_refuses_every_file(settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "no-clamd.sock")
    with pytest.raises(ValidationError) as refused:
        clean_upload(files.upload("card.png", files.png_bytes(), "image/png"))
    assert refused.value.code == "scanner_unavailable"
    assert "چند دقیقه دیگر" in refused.value.messages[0]


def test_scanner_over_tcp_that_refuses_connections_fails_closed(settings):
    from tests.support.stack import free_port

    settings.CLAMD_SOCKET, settings.CLAMD_HOST, settings.CLAMD_PORT = "", "127.0.0.1", free_port()
    with pytest.raises(ValidationError) as refused:
        clean_upload(files.upload("card.png", files.png_bytes(), "image/png"))
    assert refused.value.code == "scanner_unavailable"


def test_no_scanner_configured_means_no_scanning(settings):
    settings.CLAMD_SOCKET, settings.CLAMD_HOST = "", ""
    assert get_scanner() is None
    assert clean_upload(files.upload("card.png", files.png_bytes(), "image/png")).sha256
