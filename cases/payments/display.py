"""Amounts as people read them, and a case's payments for its summary page."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from cases.persian import format_rials


def rials_toman(value) -> str:
    """4500000 → ۴٬۵۰۰٬۰۰۰ ریال (۴۵۰٬۰۰۰ تومان): rials are official, toman is what
    people say, so both are shown."""
    if value in (None, ""):
        return ""
    rials = int(value)
    toman, rest = divmod(rials, 10)
    toman_text = format_rials(toman) + (f"\u066b{format_rials(rest)}" if rest else "")
    return f"{format_rials(rials)} ریال ({toman_text} تومان)"


def case_payments(payments) -> SafeString:
    """`{{ case_payments(payments) }}` (payments/_case_payments.html): the attempts the
    view read (cases.payments.panel.case_payments), newest first."""
    return mark_safe(render_to_string("payments/_case_payments.html", {"payments": payments}))
