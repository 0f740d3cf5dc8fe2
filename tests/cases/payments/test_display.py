"""Amounts in rials with Persian digits and separators (toman in parentheses), the
receipt, the case's payments for its summary, and templates a strict CSP can serve."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse

from cases.payments.display import rials_toman
from cases.payments.models import Payment
from cases.payments.panel import case_payments
from cases.persian import to_persian_digits
from flows.transfer_flow import TransferFlow
from tests.support.pages import Page
from tests.support.payment_fixtures import case, client_of_owner, debt, owner  # noqa: F401 (fixtures)
from tests.support.payments import PAY, fees_panel, go_to_bank, press_at_bank
from workflows.models import CaseProcess


@pytest.mark.parametrize(
    ("rials", "shown"),
    [
        (4_500_000, "۴٬۵۰۰٬۰۰۰ ریال (۴۵۰٬۰۰۰ تومان)"),
        (1_234_567, "۱٬۲۳۴٬۵۶۷ ریال (۱۲۳٬۴۵۶٫۷ تومان)"),
        (10, "۱۰ ریال (۱ تومان)"),
        (None, ""),
    ],
)
def test_rials_with_toman_in_parentheses(rials, shown):
    assert rials_toman(rials) == shown


@pytest.mark.django_db
def test_the_fees_panel_and_receipt_show_rials_and_toman(case, client_of_owner):
    assert fees_panel(case).has("۴٬۵۰۰٬۰۰۰ ریال (۴۵۰٬۰۰۰ تومان)")
    client_of_owner.get(press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), PAY))
    payment = Payment.objects.get()
    receipt = Page.of(client_of_owner.get(f"/payments/receipt/{payment.order_id}/"))
    assert receipt.has("۴٬۵۰۰٬۰۰۰ ریال (۴۵۰٬۰۰۰ تومان)")
    assert receipt.has("پرداخت شده") and receipt.has("۶۰۳۷۹۹******۰۰۰۰")


@pytest.mark.django_db
def test_the_case_summary_lists_its_payments_with_receipts(case, client_of_owner):
    client_of_owner.get(press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), PAY))
    payment = Payment.objects.get()
    html = engines["jinja2"].from_string("{{ case_payments(payments) }}").render(
        {"payments": case_payments(case)})
    page = Page(html)
    assert page.has("پرداخت‌ها") and page.has("پرداخت شده")
    assert page.has("۴٬۵۰۰٬۰۰۰ ریال (۴۵۰٬۰۰۰ تومان)")
    assert f"/payments/receipt/{payment.order_id}/" in html


@pytest.mark.django_db
def test_a_case_without_payments_shows_no_payments_section(case):
    html = engines["jinja2"].from_string("{{ case_payments(payments) }}").render(
        {"payments": case_payments(case)})
    assert html.strip() == ""


def test_payment_templates_have_no_inline_script_style_or_handlers():
    templates = Path(settings.BASE_DIR) / "jinja2"
    files = [*(templates / "payments").glob("*.html"), *(templates / "sandbox_bank").glob("*.html")]
    assert len(files) >= 5
    for path in files:
        text = path.read_text()
        assert "<script" not in text, path
        assert not re.search(r"\sstyle=", text), path
        assert not re.search(r"\son[a-z]+=", text), path


@pytest.mark.django_db
def test_the_real_case_status_page_shows_the_settled_payment_and_its_receipt(
    case, client_of_owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_of_owner.get(press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), PAY))
    payment = Payment.objects.get()
    # The page reads the case's engine process (for the citizen's open step, if any).
    CaseProcess.objects.create(flow_class=TransferFlow, case=case)
    response = client_of_owner.get(reverse("portal:case_status", args=[case.pk]))
    assert response.status_code == 200
    page = Page.of(response)
    assert page.has("پرداخت‌ها") and page.has("پرداخت شده")
    assert page.has("۴٬۵۰۰٬۰۰۰ ریال (۴۵۰٬۰۰۰ تومان)")
    receipt_url = page.link(f"شماره سفارش {to_persian_digits(payment.order_id)}")
    assert receipt_url == f"/payments/receipt/{payment.order_id}/"
    receipt = Page.of(client_of_owner.get(receipt_url))
    assert receipt.has("۴٬۵۰۰٬۰۰۰ ریال (۴۵۰٬۰۰۰ تومان)") and receipt.has("پرداخت شده")
