"""The transfer certificate: a real Persian PDF, issued once, stored privately, shown
only to the case's citizen and to staff who may view cases."""

import datetime
import hashlib
import re
import threading
from io import BytesIO
from urllib.parse import urlsplit

import pytest
import qrcode
import time_machine
from django.contrib.auth.models import Permission
from django.db import connections
from django.utils import timezone
from pypdf import PdfReader

from cases.certificates.links import signed_url
from cases.certificates.models import Certificate, CertificateKind
from cases.certificates.rendering import verification_url
from cases.certificates.services import (
    CertificateNotIssuable,
    CertificateTampered,
    certificate_pdf,
    issue_transfer_certificate,
)
from cases.models import CaseEvent, CaseStatus
from cases.persian import fold_digits
from integrations.pdf.base import PdfRenderer, PdfRenderingError
from integrations.pdf.qr import qr_svg
from integrations.pdf.loader import get_renderer
from integrations.pdf.static_files import static_file_path
from integrations.pdf.weasy import WeasyPrintRenderer
from tests.support.certificates import (
    APPROVED,
    NO_FEES,
    RECORDING_RENDERER,
    blank_pdf,
    TEHRAN,
    RecordingRenderer,
    pdf_text,
    ready_case,
    squeezed,
)
from tests.support.factories import PASSWORD, CaseFactory, PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = "گواهی انتقال آپارتمان"
NO_DEBT = "این کدنوسازی فاقد بدهی می باشد"
FAKE_RENDERER = RECORDING_RENDERER


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    RecordingRenderer.rendered.clear()


@pytest.fixture
def fake_renderer(settings):
    settings.PDF_RENDERER = FAKE_RENDERER
    return RecordingRenderer


def embedded_fonts(pdf: bytes) -> dict[str, set[str]]:
    """BaseFont name → the FontFile keys of its descriptor, for every font on every page."""
    fonts = {}
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            files = {
                key
                for d in descendants
                for key in d["/FontDescriptor"].get_object()
                if key.startswith("/FontFile")
            }
            fonts[str(font["/BaseFont"])] = files
    return fonts


# --- the real PDF ------------------------------------------------------------------------


def test_certificate_is_a_one_page_persian_pdf_in_our_font_with_the_case_on_it():
    case = ready_case()
    certificate = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    pdf = certificate_pdf(case)

    assert pdf.startswith(b"%PDF")
    assert len(PdfReader(BytesIO(pdf)).pages) == 1
    text = squeezed(pdf_text(pdf))
    for expected in (TITLE, "مریم احمدی", "علی‌رضا کریمی", NO_DEBT, "کاوه محمدی"):
        assert squeezed(expected) in text, expected
    assert case.tracking_number in text
    assert "12-345-67-8-0-0-12" in text
    assert certificate.verification_code in text
    assert squeezed("محل مهر و امضای واحد صدور") in text

    fonts = embedded_fonts(pdf)
    assert fonts, "no font resources found"
    for name, files in fonts.items():
        # No fallback to a system font: every glyph comes from the files we ship.
        assert "Vazirmatn" in name, name
        assert files & {"/FontFile2", "/FontFile3"}, f"{name} is not embedded"
    assert any("Vazirmatn-Bold" in name for name in fonts)


def test_settled_fees_show_amount_and_payment_reference():
    case = ready_case()
    fees = {"amount_rials": 4_500_000, "reference": "PAY-20261124-0042"}
    issue_transfer_certificate(case, inspection=APPROVED, fees=fees)
    text = pdf_text(certificate_pdf(case))

    assert "۴٬۵۰۰٬۰۰۰" in text
    assert "PAY-20261124-0042" in text
    assert squeezed(NO_DEBT) not in squeezed(text)


def test_renderer_fetches_nothing_but_our_static_files():
    renderer = WeasyPrintRenderer()
    base = "http://127.0.0.1:8000/"
    page = '<link rel="stylesheet" href="/static/css/certificate.css"><p>سلام</p>{}'
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR4"
        "nGNgYAAAAAMAAWgmWQ0AAAAASUVORK5CYII="
    )
    assert renderer.render(page.format(f'<img src="{pixel}">'), base).startswith(b"%PDF")
    with pytest.raises(PdfRenderingError, match="not a static file"):
        renderer.render(page.format('<img src="https://example.com/logo.png">'), base)
    with pytest.raises(PdfRenderingError):
        renderer.render(page.format('<img src="/static/no/such/file.png">'), base)


# --- what the certificate holds ----------------------------------------------------------


def test_html_is_rtl_persian_with_isolated_numbers_and_jalali_dates(fake_renderer):
    case = ready_case(applicant_role="attorney")
    with time_machine.travel(datetime.datetime(2026, 11, 24, 9, 0, tzinfo=TEHRAN), tick=False):
        certificate = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    html = fake_renderer.rendered[-1]

    assert '<html lang="fa" dir="rtl">' in html
    assert f"<h1>{TITLE}</h1>" in html
    assert f'<bdi dir="ltr">{case.tracking_number_display}</bdi>' in html
    assert '<bdi dir="ltr">۱۲-۳۴۵-۶۷-۸-۰-۰-۱۲</bdi>' in html
    assert '<bdi dir="ltr">۱۴۰۵/۰۹/۰۳</bdi>' in html  # issued 24 Nov 2026
    assert '<bdi dir="ltr">۱۴۰۵/۱۲/۰۳</bdi>' in html  # valid 90 days: 22 Feb 2027
    assert '<bdi dir="ltr">۱۴۰۵/۰۹/۰۱</bdi> ساعت <bdi dir="ltr">۱۰:۰۰</bdi>' in html
    assert f"{case.citizen.get_full_name()} (وکیل)" in html
    assert "محل مهر و امضای واحد صدور" in html
    assert certificate.valid_until - certificate.issued_at == datetime.timedelta(days=90)


def test_qr_code_holds_the_verification_url(fake_renderer, settings):
    settings.SITE_URL = "https://eservices.example.ir/"
    case = ready_case()
    certificate = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    url = verification_url(case.tracking_number, certificate.verification_code)

    assert url == (
        f"https://eservices.example.ir/verify/?t={case.tracking_number}"
        f"&c={certificate.verification_code}"
    )
    assert qr_svg(url) in fake_renderer.rendered[-1]


def svg_dark_modules(svg: str) -> set[tuple[int, int]]:
    # Each rectangle of dark modules is drawn as "M x y h width v height h -width".
    rectangles = re.findall(r"M(\d+) (\d+)h(\d+)v(\d+)h-\3", svg)
    drawn = "".join(f"M{x} {y}h{w}v{h}h-{w}" for x, y, w, h in rectangles)
    assert f'd="{drawn}"' in svg  # nothing else drawn
    return {(int(x) + i, int(y) + j) for x, y, width, height in rectangles
            for i in range(int(width)) for j in range(int(height))}


def test_qr_svg_is_deterministic_and_encodes_exactly_its_data():
    url = "http://127.0.0.1:8000/verify/?t=1234567897&c=00420042"
    svg = qr_svg(url)
    assert svg.startswith("<svg") and svg == qr_svg(url)

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()  # with its quiet zone, as the SVG's coordinates are
    expected = {(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}
    assert svg_dark_modules(svg) == expected
    assert f'viewBox="0 0 {len(matrix)} {len(matrix)}"' in svg
    assert svg_dark_modules(qr_svg(url.replace("00420042", "00420043"))) != expected


# --- issuing: once, privately, on the timeline -------------------------------------------


def test_issuing_twice_returns_the_first_certificate_and_one_event(fake_renderer, settings):
    case = ready_case()
    first = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    settings.PDF_RENDERER = "no.such.Renderer"  # a second rendering would fail loudly
    again = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)

    assert again.pk == first.pk
    assert len(fake_renderer.rendered) == 1
    events = CaseEvent.objects.filter(case=case, name="certificate_issued")
    assert [e.data for e in events] == [
        {
            "certificate_id": first.pk,
            "kind": "transfer",
            "version": 1,
            "verification_code": first.verification_code,
        }
    ]
    case.refresh_from_db()
    assert case.status == CaseStatus.FEES_SETTLED  # the flow moves the case, not issuing


def test_certificate_is_stored_privately_with_its_hash(fake_renderer, settings):
    settings.CERTIFICATE_VALIDITY_DAYS = 30
    case = ready_case()
    case.issue()
    case.save()
    with time_machine.travel(datetime.datetime(2026, 11, 24, 9, 0, tzinfo=TEHRAN), tick=False):
        certificate = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)

    assert certificate.kind == CertificateKind.TRANSFER
    assert re.fullmatch(r"[0-9]{8}", certificate.verification_code)
    assert re.fullmatch(r"certificates/2026/[0-9a-f-]{36}\.pdf", certificate.pdf.name)
    stored = settings.PRIVATE_STORAGE_ROOT / certificate.pdf.name
    assert stored.read_bytes() == certificate_pdf(case)
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == certificate.sha256
    assert certificate.valid_until - certificate.issued_at == datetime.timedelta(days=30)
    with pytest.raises(ValueError):
        certificate.pdf.url  # no public address, ever

    stored.write_bytes(b"%PDF-1.7 forged")
    with pytest.raises(CertificateTampered):
        certificate_pdf(case)


def test_a_failed_store_leaves_no_file_and_no_row(fake_renderer, settings, monkeypatch):
    case = ready_case()

    def refuse(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(CaseEvent.objects, "create", refuse)
    with pytest.raises(RuntimeError):
        issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    assert not Certificate.objects.exists()
    assert list(settings.PRIVATE_STORAGE_ROOT.rglob("*.pdf")) == []


@pytest.mark.parametrize(
    "setup, inspection, fees",
    [
        ("draft", APPROVED, NO_FEES),
        ("inspection_approved", APPROVED, NO_FEES),
        ("fees_settled", {**APPROVED, "result": "cancelled"}, NO_FEES),
        ("fees_settled", {**APPROVED, "visited_at": "yesterday"}, NO_FEES),
        ("fees_settled", APPROVED, {"amount_rials": 1_200_000, "reference": ""}),
        ("fees_settled", APPROVED, {"amount_rials": 1_200_000.0, "reference": "PAY-9"}),
        ("no_role", APPROVED, NO_FEES),
    ],
)
def test_no_certificate_without_the_facts_it_states(fake_renderer, setup, inspection, fees):
    if setup == "draft":
        case = CaseFactory(applicant_role="owner")
    elif setup == "inspection_approved":
        case = CaseFactory(applicant_role="owner")
        case.register()
        case.save_registration()
        case.approve_inspection()
        case.save()
    else:
        case = ready_case(applicant_role="" if setup == "no_role" else "owner")

    with pytest.raises(CertificateNotIssuable):
        issue_transfer_certificate(case, inspection=inspection, fees=fees)
    assert not Certificate.objects.exists()
    assert not CaseEvent.objects.filter(name="certificate_issued").exists()
    assert fake_renderer.rendered == []


def test_concurrent_issuers_store_one_certificate(postgres, transactional_db, settings):
    settings.PDF_RENDERER = f"{__name__}.RaceRenderer"
    case = ready_case()
    results, errors = [], []

    def issue():
        try:
            from cases.models import Case

            mine = Case.objects.get(pk=case.pk)
            results.append(issue_transfer_certificate(mine, inspection=APPROVED, fees=NO_FEES).pk)
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(set(results)) == 1 and len(results) == 2
    assert CaseEvent.objects.filter(case=case, name="certificate_issued").count() == 1
    files = list((settings.PRIVATE_STORAGE_ROOT / "certificates").rglob("*.pdf"))
    assert [f.relative_to(settings.PRIVATE_STORAGE_ROOT).as_posix() for f in files] == [
        Certificate.objects.get().pdf.name
    ]


class RaceRenderer(PdfRenderer):
    """Both issuers have rendered before either stores: the race the lock must settle."""

    barrier = threading.Barrier(2, timeout=10)

    def render(self, html: str, base_url: str) -> bytes:
        self.barrier.wait()
        return blank_pdf(html)


def test_renderer_comes_from_settings(settings):
    assert isinstance(get_renderer(), WeasyPrintRenderer)
    settings.PDF_RENDERER = FAKE_RENDERER
    assert isinstance(get_renderer(), RecordingRenderer)


# --- static files for the renderer -------------------------------------------------------

BASE = "http://127.0.0.1:8000/"


def test_static_urls_map_to_files_on_disk_and_nothing_else(settings, tmp_path):
    css = static_file_path(f"{BASE}static/css/certificate.css?v=1", BASE)
    assert css is not None and css.endswith("static/css/certificate.css")
    assert static_file_path(f"{BASE}static/fonts/vazirmatn/Vazirmatn-Bold.woff2", BASE)
    assert static_file_path("https://cdn.example.com/static/css/certificate.css", BASE) is None
    assert static_file_path(f"{BASE}static/../config/settings/base.py", BASE) is None
    assert static_file_path(f"{BASE}static/%2e%2e/config/settings/base.py", BASE) is None
    assert static_file_path(f"{BASE}static/css/missing.css", BASE) is None
    assert static_file_path(f"{BASE}media/anything.css", BASE) is None

    # Production's hashed names exist only among the collected files.
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "certificate.0123abcd.css").write_text("p{}")
    found = static_file_path(f"{BASE}static/css/certificate.0123abcd.css", BASE)
    assert found == str(tmp_path / "css" / "certificate.0123abcd.css")


# --- who may see it ------------------------------------------------------------------------


@pytest.fixture
def issued_case(fake_renderer):
    case = ready_case()
    issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    return case


def pdf_url(case) -> str:
    return f"/certificates/case/{case.pk}/pdf/"


def signed_link(client, url: str) -> str:
    """The page's stable address hands out a link signed for whoever asks."""
    response = client.get(url)
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    assert urlsplit(location).path == url and "link=" in urlsplit(location).query
    return location


def test_citizen_gets_their_certificate_inline_through_a_signed_link(client, issued_case):
    client.force_login(issued_case.citizen)
    response = client.get(signed_link(client, pdf_url(issued_case)))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="certificate-{issued_case.tracking_number}.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # shown in the case page's <object>
    assert response.content == certificate_pdf(issued_case)


def test_the_link_is_signed_for_its_user_and_its_file(client, issued_case):
    owner, stranger = issued_case.citizen, UserFactory()
    own_link = signed_url(issued_case.pk, owner, "pdf")
    client.force_login(stranger)
    assert client.get(pdf_url(issued_case)).status_code == 404
    assert client.get(own_link).status_code == 404  # the owner's link, forwarded
    assert client.get(signed_url(issued_case.pk, stranger, "pdf")).status_code == 404

    client.force_login(owner)
    assert client.get(own_link).status_code == 200
    png_path = f"/certificates/case/{issued_case.pk}/png/"
    assert client.get(png_path + "?" + urlsplit(own_link).query).status_code == 404
    other_case = ready_case(property=PropertyFactory())
    assert client.get(f"/certificates/case/{other_case.pk}/pdf/?"
                      + urlsplit(own_link).query).status_code == 404

    # The owner's signature on a token naming the stranger instead.
    forged = own_link.replace(f"={issued_case.pk}:{owner.pk}:", f"={issued_case.pk}:{stranger.pk}:")
    assert forged != own_link
    client.force_login(stranger)
    assert client.get(forged).status_code == 404


def test_an_expired_link_opens_nothing(client, issued_case, settings):
    settings.SIGNED_LINK_MAX_AGE = 300
    client.force_login(issued_case.citizen)
    signed_at = timezone.now()
    with time_machine.travel(signed_at, tick=False):
        link = signed_link(client, pdf_url(issued_case))
    with time_machine.travel(signed_at + datetime.timedelta(seconds=299), tick=False):
        assert client.get(link).status_code == 200
    with time_machine.travel(signed_at + datetime.timedelta(seconds=301), tick=False):
        assert client.get(link).status_code == 404
        # The page's own address still works: it signs a fresh link.
        assert client.get(signed_link(client, pdf_url(issued_case))).status_code == 200


def test_anonymous_visitor_is_sent_to_login(client, issued_case):
    response = client.get(pdf_url(issued_case))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    response = client.get(signed_url(issued_case.pk, issued_case.citizen, "pdf"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_need_the_view_case_permission_when_signed_and_when_opened(client, issued_case):
    staff = UserFactory(staff=True)
    client.force_login(staff)
    assert client.get(pdf_url(issued_case)).status_code == 404

    view_case = Permission.objects.get(content_type__app_label="cases", codename="view_case")
    staff.user_permissions.add(view_case)
    link = signed_link(client, pdf_url(issued_case))
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"

    staff.user_permissions.remove(view_case)
    assert client.get(link).status_code == 404  # a link outlives no permission


def test_no_certificate_yet_is_404_even_for_the_citizen(client):
    case = ready_case()
    client.force_login(case.citizen)
    assert client.get(pdf_url(case)).status_code == 404
    assert client.get(signed_url(case.pk, case.citizen, "pdf")).status_code == 404
    assert client.get("/certificates/case/999999/pdf/").status_code == 404


def test_issuing_time_is_recorded_in_tehran_year(fake_renderer):
    # The folder is the year in Tehran: 21:00 UTC on 31 December is already next year there.
    case = ready_case()
    moment = datetime.datetime(2026, 12, 31, 21, 0, tzinfo=datetime.UTC)  # 00:30 on 1 Jan
    with time_machine.travel(moment, tick=False):
        certificate = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    assert certificate.pdf.name.startswith("certificates/2027/")
    assert certificate.issued_at == timezone.make_aware(
        datetime.datetime(2027, 1, 1, 0, 30), TEHRAN
    )


# --- what a reader and a phone get from the real PDF ----------------------------------

BIDI_CONTROLS = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def test_pdf_text_is_in_logical_order_and_the_qr_decodes_to_the_verification_url(settings):
    import subprocess

    import zxingcpp
    from PIL import Image

    from cases.certificates.preview import certificate_png

    settings.SITE_URL = "https://eservices.example.ir"
    case = ready_case()
    certificate = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    pdf = certificate_pdf(case)

    # poppler's pdftotext applies the bidi algorithm: what it gives is what a search or
    # a copy-and-paste gets. The owner's name must come out letter by letter in order.
    extracted = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                               capture_output=True, check=True).stdout.decode()
    lines = [BIDI_CONTROLS.sub("", line).strip() for line in extracted.splitlines()]
    assert "مریم احمدی" in lines
    assert "کاوه محمدی" in lines
    tracking_line = next(line for line in lines if line.startswith("شماره پیگیری"))
    assert case.tracking_number in re.sub(r"\s", "", fold_digits(tracking_line))

    # The PNG preview a citizen sees (نمایش تصویر گواهی) carries a QR a phone can read.
    image = Image.open(BytesIO(certificate_png(case)))
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    expected = verification_url(case.tracking_number, certificate.verification_code)
    assert decoded == [expected]
    assert expected == (f"https://eservices.example.ir/verify/?t={case.tracking_number}"
                        f"&c={certificate.verification_code}")


def test_an_issued_certificate_cannot_be_edited(fake_renderer):
    from cases.certificates.models import ImmutableCertificate

    certificate = issue_transfer_certificate(ready_case(), inspection=APPROVED, fees=NO_FEES)
    certificate.verification_code = "00000000"
    with pytest.raises(ImmutableCertificate):
        certificate.save()
    with pytest.raises(ImmutableCertificate):
        certificate.save(update_fields=["verification_code"])
    certificate.refresh_from_db()
    assert certificate.verification_code != "00000000"


def test_reissue_adds_a_version_revokes_the_old_and_records_both(fake_renderer):
    from cases.certificates.versions import reissue_certificate

    case = ready_case()
    clerk = UserFactory(staff=True)
    first = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        second = reissue_certificate(case, actor=clerk, reason="اصلاح نشانی")

    first.refresh_from_db()
    case.refresh_from_db()
    assert second.pk != first.pk and second.version == 2
    assert case.certificate == second and first.case is None
    assert first.issued_for == case == second.issued_for
    assert first.revoked_at is not None and first.revocation_reason == "اصلاح نشانی"
    assert second.revoked_at is None
    assert second.verification_code != first.verification_code
    assert first.sha256 != second.sha256 and first.pdf.name != second.pdf.name
    assert certificate_pdf(case) == second.pdf.open("rb").read()
    # The same facts were printed again: inspector and visit are on the new version too.
    assert "کاوه محمدی" in fake_renderer.rendered[-1]
    assert "نسخه:</span> ۲" in fake_renderer.rendered[-1]
    assert "نسخه:" not in fake_renderer.rendered[0]
    events = list(case.events.filter(name__startswith="certificate_").order_by("pk"))
    assert [(e.name, e.data.get("certificate_id"), e.actor_id) for e in events] == [
        ("certificate_issued", first.pk, None),
        ("certificate_revoked", first.pk, clerk.pk),
        ("certificate_issued", second.pk, clerk.pk),
    ]
    assert events[2].data["replaces"] == first.pk and events[2].data["version"] == 2


def test_a_second_reissue_of_the_same_version_issues_nothing(fake_renderer):
    from cases.certificates.versions import reissue_certificate

    case = ready_case()
    first = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    second = reissue_certificate(case, actor=None, reason="x", replacing=first)
    again = reissue_certificate(case, actor=None, reason="x", replacing=first)  # double click
    assert again.pk == second.pk
    assert Certificate.objects.filter(issued_for=case).count() == 2


def test_admin_actions_reissue_and_revoke_with_a_reason(client, fake_renderer):
    case = ready_case()
    first = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    clerk = UserFactory(staff=True, is_staff=True)
    clerk.user_permissions.add(
        Permission.objects.get(codename="view_certificate"),
        Permission.objects.get(codename="reissue_certificate"),
    )
    client.force_login(clerk)
    url = "/admin/certificates/certificate/"

    no_reason = client.post(url, {"action": "reissue", "_selected_action": [first.pk],
                                  "reason": ""}, follow=True)
    assert "علت را بنویسید" in no_reason.content.decode()
    assert Certificate.objects.filter(issued_for=case).count() == 1

    client.post(url, {"action": "reissue", "_selected_action": [first.pk],
                      "reason": "اصلاح نام مالک"})
    case.refresh_from_db()
    assert case.certificate.version == 2
    first.refresh_from_db()
    assert first.revoked_at and first.revocation_reason == "اصلاح نام مالک"

    client.post(url, {"action": "revoke", "_selected_action": [case.certificate.pk],
                      "reason": "ابطال به دستور دادگاه"})
    case.refresh_from_db()
    assert case.certificate.revoked_at is not None  # still the current version, revoked
    assert case.events.filter(name="certificate_revoked").count() == 2


def test_staff_without_the_permission_get_no_reissue_action(client, fake_renderer):
    case = ready_case()
    issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    viewer = UserFactory(staff=True, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    client.force_login(viewer)
    page = client.get("/admin/certificates/certificate/").content.decode()
    assert 'value="reissue"' not in page and 'value="revoke"' not in page


def test_weasyprint_is_imported_only_when_something_is_rendered():
    import subprocess
    import sys

    probe = (
        "import django, os, sys;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        "os.environ.setdefault('DEBUG', '1'); django.setup();"
        "import cases.certificates.services, cases.certificates.views, integrations.pdf.weasy;"
        "print('weasyprint' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_concurrent_reissues_of_one_version_make_one_new_version(postgres, transactional_db,
                                                                  settings):
    from cases.certificates.versions import reissue_certificate
    from cases.models import Case

    settings.PDF_RENDERER = FAKE_RENDERER
    case = ready_case()
    first = issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    settings.PDF_RENDERER = f"{__name__}.RaceRenderer"
    results, errors = [], []

    def reissue():
        try:
            mine = Case.objects.get(pk=case.pk)
            results.append(reissue_certificate(mine, actor=None, reason="دو کارمند",
                                               replacing=first).pk)
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reissue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(results) == 2 and len(set(results)) == 1
    versions = Certificate.objects.filter(issued_for=case).order_by("version")
    assert [(c.version, c.revoked_at is None) for c in versions] == [(1, False), (2, True)]
    assert CaseEvent.objects.filter(case=case, name="certificate_revoked").count() == 1
    on_disk = sorted(f.relative_to(settings.PRIVATE_STORAGE_ROOT).as_posix()
                     for f in (settings.PRIVATE_STORAGE_ROOT / "certificates").rglob("*.pdf"))
    assert on_disk == sorted(c.pdf.name for c in versions)  # the loser's file is gone


# --- shaping that xhtml2pdf got wrong (the issue's measurement) ---------------------------


def drawn(body: str) -> bytes:
    """PNG of a line of Vazirmatn text rendered by the certificate's renderer."""
    from cases.certificates.preview import render_first_page

    page = ('<link rel="stylesheet" href="/static/css/certificate.css">'
            '<p dir="rtl" lang="fa" style="font-size: 40px">{}</p>')
    return render_first_page(WeasyPrintRenderer().render(page.format(body),
                                                         "http://127.0.0.1:8000/"))


def test_a_zero_width_non_joiner_parts_the_letters_and_draws_nothing():
    """«علی‌رضا»: the ZWNJ must stop ی joining ر (joined is «علیرضا») and leave no mark of
    its own (xhtml2pdf drew a bar). So the line looks exactly as the two halves shaped
    apart, side by side, and not as the joined word."""
    with_zwnj = drawn("علی\u200cرضا")
    apart = drawn('<span style="display: inline-block">علی</span>'
                  '<span style="display: inline-block">رضا</span>')
    joined = drawn("علیرضا")
    assert with_zwnj == apart
    assert with_zwnj != joined


def test_header_and_a_mixed_persian_latin_line_read_in_logical_order():
    import subprocess

    case = ready_case()
    fees = {"amount_rials": 4_500_000, "reference": "PAY-20261124-0042"}
    issue_transfer_certificate(case, inspection=APPROVED, fees=fees)
    extracted = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"],
                               input=certificate_pdf(case), capture_output=True,
                               check=True).stdout.decode()
    lines = [BIDI_CONTROLS.sub("", line).strip() for line in extracted.splitlines()]
    lines = [line for line in lines if line]
    # The municipality's header comes first, above the title.
    title = lines.index(TITLE)
    assert title <= 3, lines[:5]
    from cases.models.portal import PortalSettings

    assert PortalSettings.get_solo().municipality_name in lines[:title]
    # Persian label, then the Latin-and-digits reference, in reading order on one line.
    # A table row: the Persian label, then its Latin-and-digits value, in reading order.
    label = lines.index("شناسه پرداخت")
    assert lines[label + 1] == "PAY-20261124-0042"
    # A wrapped Persian sentence with a Latin word in it: every word in reading order
    # (pdftotext's own bidi pass moves the Persian commas, so they are left out).
    words = " ".join(lines).replace("،", " ").split()
    sentence = "اصالت این گواهی را با شماره پیگیری و کد تصدیق در نشانی زیر یا با خواندن کد QR بررسی کنید:"
    start = words.index("اصالت")
    assert words[start:start + len(sentence.split())] == sentence.split()
