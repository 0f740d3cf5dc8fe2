"""The certificate's HTML: what it shows and how each value is written for a reader."""

from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from cases.models import PortalSettings
from cases.persian import format_rials
from integrations.pdf.qr import qr_svg

from .models import Certificate
from .signing import signature_block

INSPECTION_RESULT_LABELS = {"approved": "تأیید شد"}
PERSIAN_DECIMAL_SEPARATOR = "\u066b"  # ٫


def site_base_url() -> str:
    return settings.SITE_URL.rstrip("/") + "/"


def verification_page_url() -> str:
    return f"{site_base_url()}verify/"


def verification_url(tracking_number: str, verification_code: str) -> str:
    """What the QR code holds: the public verification page with both numbers filled in."""
    return f"{verification_page_url()}?{urlencode({'t': tracking_number, 'c': verification_code})}"


def format_area(area_m2: Decimal) -> str:
    """Decimal("75.50") → "75٫5", Decimal("75.00") → "75" (digits folded later)."""
    return format(area_m2.normalize(), "f").replace(".", PERSIAN_DECIMAL_SEPARATOR)


def _document_context(certificate: Certificate) -> dict:
    """What every issued document prints: the property, the municipality, the QR."""
    case = certificate.owning_case
    return {
        "certificate": certificate,
        "case": case,
        "property": case.property,
        "area_m2": format_area(case.property.area_m2),
        "owners": case.property.owners,
        "municipality_name": PortalSettings.get_solo().municipality_name,
        # Our own SVG of digits and the site's address: safe to embed as markup.
        "qr_svg": mark_safe(
            qr_svg(verification_url(case.tracking_number, certificate.verification_code))
        ),
        "verification_page": verification_page_url(),
        "signature": signature_block(),
    }


def _render(template: str, context: dict) -> str:
    # An issued document is Persian whoever asks for it, in whatever language.
    with translation.override("fa"):
        return render_to_string(template, context)


def transfer_certificate_html(
    certificate: Certificate,
    *,
    visited_at: datetime.datetime,
    result: str,
    inspector: str,
    amount_rials: int,
    reference: str,
) -> str:
    case = certificate.owning_case
    context = {
        **_document_context(certificate),
        "applicant_name": case.citizen.get_full_name() or case.citizen.get_username(),
        "applicant_role": case.get_applicant_role_display(),
        "inspection": {
            "visited_at": visited_at,
            "result_label": INSPECTION_RESULT_LABELS[result],
            "inspector": inspector,
        },
        "fees": {
            "no_debt": amount_rials == 0,
            "amount": format_rials(amount_rials),
            "reference": reference,
        },
    }
    return _render("certificates/transfer.html", context)


def inquiry_answer_html(certificate: Certificate, *, earlier) -> str:
    """The answer to an institution's letter; `earlier` is the EarlierCertificate it rests on."""
    return _render("certificates/inquiry_answer.html",
                   {**_document_context(certificate), "earlier": earlier})
