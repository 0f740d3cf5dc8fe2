"""Cases ready for a certificate or an inquiry answer, a renderer that records instead of
drawing, and reading a PDF's text back — for the certificate, answer and verification tests."""

from __future__ import annotations

import datetime
import hashlib
import re
from io import BytesIO
from zoneinfo import ZoneInfo

from pypdf import PdfReader, PdfWriter

from cases.persian import fold_digits
from integrations.pdf.base import PdfRenderer
from tests.support.factories import CaseFactory, PropertyFactory, RegistryRecordFactory

TEHRAN = ZoneInfo("Asia/Tehran")
VISIT = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=TEHRAN)
APPROVED = {"visited_at": VISIT, "result": "approved", "inspector": "کاوه محمدی"}
NO_FEES = {"amount_rials": 0, "reference": ""}
INSTITUTION = "بانک ملت شعبه آزادی"
# When the verification tests issue their documents; the page's one answer to any wrong pair.
ISSUED = datetime.datetime(2026, 11, 24, 9, 0, tzinfo=TEHRAN)
NO_MATCH = "شماره پیگیری یا کد تصدیق درست نیست"


class RecordingRenderer(PdfRenderer):
    """Stands in for WeasyPrint where the test is about what is rendered or who sees it."""

    rendered: list[str] = []

    def render(self, html: str, base_url: str) -> bytes:
        self.rendered.append(html)
        return blank_pdf(html)


def blank_pdf(html: str) -> bytes:
    """A real (blank A4) PDF, so that it is signed like a drawn one; each HTML its own."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Subject": hashlib.sha256(html.encode()).hexdigest()})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


RECORDING_RENDERER = f"{__name__}.RecordingRenderer"  # for settings.PDF_RENDERER


def ready_case(**kwargs):
    """A transfer case whose fees are settled: what the issuance step receives."""
    kwargs.setdefault("applicant_role", "owner")
    if "property" not in kwargs:
        kwargs["property"] = PropertyFactory(
            renovation_code="12-345-67-8-0-0-12", owner_names="مریم احمدی\nعلی‌رضا کریمی"
        )
    case = CaseFactory(**kwargs)
    case.register()
    case.save_registration()
    case.approve_inspection()
    case.save()
    case.settle_fees(reference="PAY-1")
    case.save()
    return case


# pypdf has no bidi algorithm: it reverses every run of Arabic-block characters, the
# Persian digits too, although numbers read left to right (pdftotext gets them right).
PERSIAN_NUMBER_RUN = re.compile(r"[۰-۹](?:[۰-۹٬/:\- ]*[۰-۹])?")


def pdf_text(pdf: bytes) -> str:
    raw = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    return PERSIAN_NUMBER_RUN.sub(lambda run: run.group()[::-1], raw)


def squeezed(text: str) -> str:
    """ASCII digits, no spaces, no ZWNJ (a PDF keeps no ZWNJ: it only shapes the letters)."""
    return re.sub(r"[\s\u200c]", "", fold_digits(text))


def inquiry_case(**kwargs):
    """A registered inquiry whose property has an earlier certificate in the registry."""
    prop = kwargs.pop("property", None) or PropertyFactory(renovation_code="12-345-67-8-0-0-12")
    # A number shaped like the municipality's (pypdf garbles Latin letters next to digits).
    RegistryRecordFactory(property=prop, with_certificate=True, certificate_number="12-1403-7781")
    kwargs.setdefault("advanced_to", "registered")
    return CaseFactory(
        service="inquiry",
        property=prop,
        request_number="1403-05-000001",
        letter_number="۲۴۵۱/ب",
        letter_institution=INSTITUTION,
        letter_date=datetime.date(2026, 11, 20),
        **kwargs,
    )


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**8:08d}"


def other_tracking(tracking: str) -> str:
    from cases.tracking import generate_tracking_number

    while (candidate := generate_tracking_number()) == tracking:
        pass
    return candidate
