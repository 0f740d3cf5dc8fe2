"""The inquiry answer (پاسخ استعلام): a real Persian PDF citing the earlier certificate,
issued once; its PNG preview drawn once and shown only to whom the PDF is shown."""

import datetime
import subprocess

import pytest

from cases.certificates import preview
from cases.certificates.links import signed_url
from cases.certificates.models import Certificate, CertificateKind
from cases.certificates.preview import PNG_SIGNATURE, certificate_png
from cases.certificates.services import (
    CertificateNotIssuable,
    certificate_pdf,
    issue_inquiry_answer,
)
from cases.models import CaseEvent
from tests.support.certificates import (
    INSTITUTION,
    RECORDING_RENDERER,
    RecordingRenderer,
    inquiry_case,
    pdf_text,
    squeezed,
)
from tests.support.factories import CaseFactory, RenovationDebtFactory, UserFactory

pytestmark = pytest.mark.django_db

FAKE_RENDERER = RECORDING_RENDERER


@pytest.fixture
def fake_renderer(settings):
    settings.PDF_RENDERER = FAKE_RENDERER
    RecordingRenderer.rendered.clear()
    return RecordingRenderer


def test_answer_is_a_persian_pdf_naming_institution_case_and_earlier_certificate():
    case = inquiry_case()
    earlier = case.property.records.get()
    certificate = issue_inquiry_answer(case)
    text = squeezed(pdf_text(certificate_pdf(case)))

    assert certificate.kind == CertificateKind.INQUIRY_ANSWER
    for expected in ("پاسخ استعلام", INSTITUTION, "این کدنوسازی فاقد بدهی می باشد"):
        assert squeezed(expected) in text, expected
    assert case.tracking_number in text
    assert earlier.certificate_number == "12-1403-7781"
    assert earlier.certificate_number in text
    assert certificate.verification_code in text
    assert "12-345-67-8-0-0-12" in text


def test_html_cites_the_letter_and_the_earlier_certificate_in_jalali(fake_renderer):
    case = inquiry_case()
    issue_inquiry_answer(case)
    html = fake_renderer.rendered[-1]

    assert '<html lang="fa" dir="rtl">' in html
    assert "<h1>پاسخ استعلام</h1>" in html
    assert '<bdi dir="ltr">۲۴۵۱/ب</bdi>' in html
    assert '<bdi dir="ltr">۱۴۰۵/۰۸/۲۹</bdi>' in html  # the letter: 20 Nov 2026
    assert '<bdi dir="ltr">۱۴۰۳/۰۵/۲۰</bdi>' in html  # earlier certificate: 10 Aug 2024
    assert "گواهی پایان کار" in html
    assert case.citizen.get_full_name() not in html


def test_issuing_twice_returns_the_first_answer_and_one_event(fake_renderer, settings):
    case = inquiry_case()
    first = issue_inquiry_answer(case)
    settings.PDF_RENDERER = "no.such.Renderer"
    assert issue_inquiry_answer(case).pk == first.pk
    assert len(fake_renderer.rendered) == 1
    assert CaseEvent.objects.filter(case=case, name="certificate_issued").count() == 1


@pytest.mark.parametrize("problem", ["transfer", "draft", "no_letter", "no_earlier", "debt"])
def test_no_answer_without_the_facts_it_states(fake_renderer, problem):
    if problem == "transfer":
        case = CaseFactory(advanced_to="registered")
    elif problem == "draft":
        case = inquiry_case(advanced_to=None)
    elif problem == "no_letter":
        case = inquiry_case()
        case.letter_institution = ""
    elif problem == "no_earlier":
        case = CaseFactory(service="inquiry", advanced_to="registered", letter_number="1",
                           letter_institution=INSTITUTION, letter_date=datetime.date(2026, 1, 1))
    else:
        case = inquiry_case()
        RenovationDebtFactory(property=case.property)

    with pytest.raises(CertificateNotIssuable):
        issue_inquiry_answer(case)
    assert not Certificate.objects.exists()
    assert fake_renderer.rendered == []


# --- the PNG preview -------------------------------------------------------------------


@pytest.fixture
def answered_case():
    case = inquiry_case()
    issue_inquiry_answer(case)
    return case


def test_preview_is_drawn_once_then_read_from_storage(answered_case, monkeypatch, settings):
    runs = []
    real_run = subprocess.run

    def counting_run(*args, **kwargs):
        runs.append(args[0])
        return real_run(*args, **kwargs)

    monkeypatch.setattr(preview.subprocess, "run", counting_run)
    png = certificate_png(answered_case)
    stored = Certificate.objects.get(case=answered_case).preview.name

    assert png.startswith(PNG_SIGNATURE)
    assert (settings.PRIVATE_STORAGE_ROOT / stored).read_bytes() == png
    assert certificate_png(answered_case) == png
    assert Certificate.objects.get(case=answered_case).preview.name == stored
    assert len(runs) == 1 and runs[0][0] == "pdftoppm"


def test_missing_pdftoppm_is_reported_and_stores_nothing(answered_case, monkeypatch, client):
    monkeypatch.setattr(preview, "PDFTOPPM_COMMAND", ["no-such-pdftoppm-binary"])
    client.force_login(answered_case.citizen)
    response = client.get(signed_url(answered_case.pk, answered_case.citizen, "png"))
    assert response.status_code == 503
    assert not Certificate.objects.get(case=answered_case).preview


def png_url(case) -> str:
    return f"/certificates/case/{case.pk}/png/"


def test_owner_sees_the_preview_through_a_signed_link_others_do_not(client, answered_case):
    owner = answered_case.citizen
    client.force_login(owner)
    redirect = client.get(png_url(answered_case))
    assert redirect.status_code == 302
    assert redirect["Location"].startswith(png_url(answered_case) + "?link=")
    # An <img> on the case page: streamed (the CSP allows images from our origin only).
    response = client.get(redirect["Location"], headers={"Sec-Fetch-Dest": "image"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(PNG_SIGNATURE)

    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(png_url(answered_case)).status_code == 404
    assert client.get(redirect["Location"]).status_code == 404
    assert client.get(signed_url(answered_case.pk, stranger, "png")).status_code == 404

    client.logout()
    response = client.get(png_url(answered_case))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_no_answer_yet_means_no_preview(client):
    case = inquiry_case()
    client.force_login(case.citizen)
    assert client.get(png_url(case)).status_code == 404
