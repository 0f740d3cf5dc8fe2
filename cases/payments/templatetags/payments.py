"""Amounts as people read them, and a case's payments for its summary page."""

from django import template

from cases.persian import format_rials

register = template.Library()


@register.filter
def rials_toman(value) -> str:
    """4500000 → ۴٬۵۰۰٬۰۰۰ ریال (۴۵۰٬۰۰۰ تومان): rials are official, toman is what
    people say, so both are shown."""
    if value in (None, ""):
        return ""
    rials = int(value)
    toman, rest = divmod(rials, 10)
    toman_text = format_rials(toman) + (f"\u066b{format_rials(rest)}" if rest else "")
    return f"{format_rials(rials)} ریال ({toman_text} تومان)"


@register.inclusion_tag("payments/_case_payments.html")
def case_payments(payments) -> dict:
    """`{{ case_payments(payments) }}`: the attempts the view read
    (cases.payments.panel.case_payments), newest first."""
    return {"payments": payments}
