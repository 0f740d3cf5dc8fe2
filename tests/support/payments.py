"""A citizen paying renovation fees through the sandbox bank, as their browser does: the
fees panel's پرداخت آنلاین, the bank's پرداخت and انصراف, the callback it sends them back to."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from django.template.loader import render_to_string
from django.test import Client

from cases.models import RenovationDebt
from cases.payments.panel import debt_panel_context
from tests.support.pages import Page

PAY_ONLINE = "پرداخت آنلاین"
PAY = "پرداخت"
CANCEL = "انصراف"
NO_DEBT = "این کدنوسازی فاقد بدهی می باشد"
RETURN_URL = "/services/"


def citizen_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fees_panel(case, return_url: str = RETURN_URL) -> Page:
    return Page(render_to_string("payments/_debt_panel.html", debt_panel_context(case, return_url)))


def press_pay_online(client, case, return_url: str = RETURN_URL):
    form = fees_panel(case, return_url).form_with_button(PAY_ONLINE)
    return client.post(form.attrs["action"], form.data({}, button=PAY_ONLINE))


def go_to_bank(client, case) -> str:
    response = press_pay_online(client, case)
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"].startswith("/bank/pay/")
    return response["Location"]


def press_at_bank(client, bank_url: str, button: str) -> str:
    """Press a button on the bank page; the bank sends the browser to this callback URL."""
    page = client.get(bank_url)
    assert page.status_code == 200
    form = Page.of(page).form_with_button(button)
    response = client.post(form.attrs.get("action") or bank_url, form.data({}, button=button))
    assert response.status_code == 302
    return response["Location"]


def start_directly(client, case):
    """POST start without the panel, as after the debt was paid or the case closed."""
    return client.post(f"/payments/start/{case.pk}/", {"next": RETURN_URL}, follow=True)


def with_param(url: str, **changes) -> str:
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query)) | changes
    return f"{parts.path}?{urlencode(params)}"


def debt_status(debt) -> str:
    return RenovationDebt.objects.get(pk=debt.pk).status


def event_names(case) -> list[str]:
    """The payment's part of the timeline (the case's own transitions come before it)."""
    return list(case.events.filter(name__startswith="payment_").values_list("name", flat=True))
