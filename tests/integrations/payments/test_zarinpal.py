"""The real PSP adapter (Zarinpal v4) against a local server that speaks Zarinpal's API.

The fake listens on 127.0.0.1 on a free port and answers request.json, verify.json and
inquiry.json with the shapes Zarinpal documents (data/errors, codes 100, 101, -9, -50,
-51, -54); so the adapter's own HTTP code, timeouts and parsing run for real.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import RequestFactory

from cases.models import CaseStatus, DebtStatus
from cases.payments.models import Payment, PaymentStatus
from integrations.payments.base import CallbackStatus, GatewayError
from integrations.payments.zarinpal.client import ZarinpalClient, ZarinpalError
from integrations.payments.zarinpal.gateway import ZarinpalGateway
from tests.support.pages import Page
from tests.support.payments import (
    PAY, PAY_ONLINE, debt_status, fees_panel, go_to_bank, press_at_bank,
)
from tests.support.payment_fixtures import case, client_of_owner, debt, owner  # noqa: F401 (fixtures)

MERCHANT = "1344b5d4-0048-11e8-94db-005056a205be"


def error(code: int, message: str, **validations) -> dict:
    return {"data": [], "errors": {"code": code, "message": message,
                                   "validations": [validations] if validations else []}}


class FakeZarinpal:
    """What Zarinpal remembers, and how it misbehaves when a test asks it to."""

    def __init__(self):
        self.payments: dict[str, dict] = {}
        self.requests: list[tuple[str, dict]] = []
        self.delay_seconds = 0.0
        self.reject_requests = False

    def pay(self, authority: str) -> None:
        """The citizen pays on Zarinpal's StartPay page."""
        self.payments[authority]["paid"] = True

    def give_up(self, authority: str) -> None:
        """The citizen cancels on Zarinpal's page (inquiry: FAILED)."""
        self.payments[authority]["failed"] = True

    def asked(self) -> list[str]:
        """The API methods called, in order: request, inquiry, verify."""
        return [path.rsplit("/", 1)[-1].removesuffix(".json") for path, _ in self.requests]

    def answer(self, path: str, body: dict) -> tuple[int, dict]:
        self.requests.append((path, body))
        if body.get("merchant_id") != MERCHANT:
            return 401, error(-11, "Merchant is not active")
        if path.endswith("/request.json"):
            if self.reject_requests or body.get("amount", 0) < 10_000:
                return 422, error(-9, "The input params invalid, validation error.",
                                  amount="The amount must be at least 1000.")
            authority = "A" + secrets.token_hex(17)[:35]
            self.payments[authority] = {"amount": body["amount"], "paid": False,
                                        "verified": False, "ref_id": secrets.randbelow(10**9)}
            return 200, {"data": {"code": 100, "message": "Success", "authority": authority,
                                  "fee_type": "Merchant", "fee": 100}, "errors": []}
        payment = self.payments.get(body.get("authority", ""))
        if payment is None:
            return 404, error(-54, "Invalid authority.")
        if path.endswith("/inquiry.json"):
            status = "PAID" if payment["paid"] else "IN_BANK"
            status = "FAILED" if payment.get("failed") else status
            status = "VERIFIED" if payment["verified"] else status
            return 200, {"data": {"code": 100, "message": "Success", "status": status},
                         "errors": []}
        if body.get("amount") != payment["amount"]:
            return 200, error(-50, "Session is not valid, amounts values is not the same.")
        if not payment["paid"]:
            return 200, error(-51, "Session is not valid, session is not active paid try.")
        code = 101 if payment["verified"] else 100
        payment["verified"] = True
        message = "Verified" if code == 100 else "Already Verified"
        return 200, {"data": {"code": code, "message": message, "card_hash": "1EBE3EBEBE35C",
                              "card_pan": "502229******5995", "ref_id": payment["ref_id"],
                              "fee_type": "Merchant", "fee": 0}, "errors": []}


@pytest.fixture
def zarinpal():
    fake = FakeZarinpal()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            time.sleep(fake.delay_seconds)
            status, answer = fake.answer(self.path, body)
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_port}"
    yield fake
    server.shutdown()
    server.server_close()


def gateway(fake, timeout: float = 2.0) -> ZarinpalGateway:
    return ZarinpalGateway(ZarinpalClient(MERCHANT, fake.url, timeout=timeout))


def callback_request(url: str):
    return RequestFactory().get(url)


# --- the adapter on its own ----------------------------------------------------------


def test_success_token_startpay_callback_verify(zarinpal):
    psp = gateway(zarinpal)
    started = psp.start("P100", 4_500_000, "https://city.example/payments/callback/", "عوارض")
    assert started.redirect_url == f"{zarinpal.url}/pg/StartPay/{started.token}"
    path, sent = zarinpal.requests[0]
    assert path == "/pg/v4/payment/request.json"
    assert sent["amount"] == 4_500_000 and sent["currency"] == "IRR"
    assert sent["callback_url"] == "https://city.example/payments/callback/?order_id=P100"
    assert sent["metadata"] == {"order_id": "P100"}

    zarinpal.pay(started.token)
    callback = psp.parse_callback(callback_request(
        f"/payments/callback/?order_id=P100&Authority={started.token}&Status=OK"))
    assert (callback.order_id, callback.token) == ("P100", started.token)
    assert callback.status == CallbackStatus.PAID

    first = psp.verify("P100", started.token, 4_500_000, callback.params)
    again = psp.verify("P100", started.token, 4_500_000, callback.params)  # answered 101
    assert first.paid and again.paid and first.reference == again.reference != ""
    assert first.card_mask == "502229******5995" and first.amount_rials == 4_500_000
    assert again.raw == {"code": 101}
    assert psp.client.inquiry(started.token) == "VERIFIED"


def test_failure_refused_request_unpaid_verify_and_other_amount(zarinpal):
    psp = gateway(zarinpal)
    with pytest.raises(ZarinpalError) as refused:
        psp.start("P101", 5_000, "https://city.example/cb/", "")
    assert refused.value.code == -9

    started = psp.start("P102", 4_500_000, "https://city.example/cb/", "")
    unpaid = psp.verify("P102", started.token, 4_500_000, {})
    assert not unpaid.paid and unpaid.raw == {"code": -51}
    zarinpal.pay(started.token)
    tampered = psp.verify("P102", started.token, 4_500, {})
    assert not tampered.paid and tampered.raw == {"code": -50}
    assert not psp.verify("P102", "A-unknown", 4_500_000, {}).paid
    cancelled = psp.parse_callback(callback_request(
        f"/cb/?order_id=P102&Authority={started.token}&Status=NOK"))
    assert cancelled.status == CallbackStatus.CANCELLED
    with pytest.raises(GatewayError):
        psp.parse_callback(callback_request("/cb/?Authority=A1&Status=MAYBE"))


def test_timeout_is_a_lost_answer_not_a_verdict(zarinpal):
    psp = gateway(zarinpal, timeout=0.3)
    started = psp.start("P103", 4_500_000, "https://city.example/cb/", "")
    zarinpal.pay(started.token)
    zarinpal.delay_seconds = 1.5
    began = time.monotonic()
    with pytest.raises(GatewayError) as lost:
        psp.verify("P103", started.token, 4_500_000, {})
    elapsed = time.monotonic() - began
    assert not isinstance(lost.value, ZarinpalError)  # no verdict: ask again later
    assert elapsed < 1.2, elapsed  # read timeouts are not retried
    zarinpal.delay_seconds = 0
    assert psp.verify("P103", started.token, 4_500_000, {}).paid  # asked again: paid


def test_an_unreachable_psp_is_a_gateway_error():
    # A port nothing listens on: connection refused, retried, then reported.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    psp = ZarinpalGateway(ZarinpalClient(MERCHANT, f"http://127.0.0.1:{port}", timeout=0.5))
    with pytest.raises(GatewayError, match="unreachable"):
        psp.start("P104", 4_500_000, "https://city.example/cb/", "")


# --- through the site, as a citizen pays with Zarinpal -------------------------------


@pytest.fixture
def site_on_zarinpal(zarinpal, settings):
    settings.PAYMENT_GATEWAY = "integrations.payments.zarinpal.gateway.ZarinpalGateway"
    settings.ZARINPAL_MERCHANT_ID = MERCHANT
    settings.ZARINPAL_BASE_URL = zarinpal.url
    settings.ZARINPAL_TIMEOUT_SECONDS = 0.5
    return zarinpal


def start_at_zarinpal(client, case, fake) -> tuple[Payment, str]:
    form = fees_panel(case).form_with_button(PAY_ONLINE)
    response = client.post(form.attrs["action"], form.data({}, button=PAY_ONLINE))
    assert response.status_code == 302
    payment = Payment.objects.get(status=PaymentStatus.REDIRECTED)
    assert response["Location"] == f"{fake.url}/pg/StartPay/{payment.gateway_token}"
    back = f"/payments/callback/?order_id={payment.order_id}&Authority={payment.gateway_token}"
    return payment, back


@pytest.mark.django_db
def test_paying_with_zarinpal_settles_once(
    site_on_zarinpal, case, debt, client_of_owner, django_capture_on_commit_callbacks
):
    payment, back = start_at_zarinpal(client_of_owner, case, site_on_zarinpal)
    site_on_zarinpal.pay(payment.gateway_token)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of_owner.get(back + "&Status=OK", follow=True)
        client_of_owner.get(back + "&Status=OK")  # replayed
    assert Page.of(response).has("پرداخت با موفقیت انجام شد")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SETTLED and payment.card_mask == "502229******5995"
    assert debt_status(debt) == DebtStatus.SETTLED
    verifies = [p for p, _ in site_on_zarinpal.requests if p.endswith("verify.json")]
    assert len(verifies) == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.FEES_SETTLED


@pytest.mark.django_db
def test_an_ok_status_zarinpal_did_not_confirm_settles_nothing(
    site_on_zarinpal, case, debt, client_of_owner
):
    """Status=OK is typed by whoever holds the URL; verify decides."""
    payment, back = start_at_zarinpal(client_of_owner, case, site_on_zarinpal)
    response = client_of_owner.get(back + "&Status=OK", follow=True)
    assert Page.of(response).has("پرداخت انجام نشد")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert debt_status(debt) == DebtStatus.OPEN


@pytest.mark.django_db
def test_another_authority_for_the_order_is_refused(site_on_zarinpal, case, debt, client_of_owner):
    payment, _ = start_at_zarinpal(client_of_owner, case, site_on_zarinpal)
    forged = f"/payments/callback/?order_id={payment.order_id}&Authority=A{'0' * 35}&Status=OK"
    assert client_of_owner.get(forged).status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REDIRECTED


@pytest.mark.django_db
def test_zarinpal_refusing_the_request_leaves_no_payment(site_on_zarinpal, case, client_of_owner):
    site_on_zarinpal.reject_requests = True
    form = fees_panel(case).form_with_button(PAY_ONLINE)
    data = form.data({}, button=PAY_ONLINE)
    response = client_of_owner.post(form.attrs["action"], data, follow=True)
    assert Page.of(response).has("اتصال به درگاه پرداخت برقرار نشد")
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_zarinpal_slow_at_verify_leaves_it_for_reconciliation(
    site_on_zarinpal, case, debt, client_of_owner
):
    from cases.payments.reconciliation import reconcile

    payment, back = start_at_zarinpal(client_of_owner, case, site_on_zarinpal)
    site_on_zarinpal.pay(payment.gateway_token)
    site_on_zarinpal.delay_seconds = 1.0
    response = client_of_owner.get(back + "&Status=OK", follow=True)
    assert Page.of(response).has("در حال تأیید است")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.RETURNED
    site_on_zarinpal.delay_seconds = 0
    assert reconcile() == {PaymentStatus.SETTLED: 1}
    assert debt_status(debt) == DebtStatus.SETTLED


# --- reconciliation asks before it verifies; a switch of gateway mid-payment ---------


@pytest.mark.django_db
def test_reconciliation_asks_zarinpal_first_and_leaves_a_citizen_at_the_bank_alone(
    site_on_zarinpal, case, debt, client_of_owner, settings, django_capture_on_commit_callbacks
):
    from cases.payments.reconciliation import reconcile

    settings.PAYMENT_RECONCILE_AFTER_MINUTES = 0  # due at once, far from its expiry
    payment, _ = start_at_zarinpal(client_of_owner, case, site_on_zarinpal)
    assert reconcile() == {"in_bank": 1}
    # Only an inquiry: a verify now would close the payment under the citizen's feet.
    assert site_on_zarinpal.asked() == ["request", "inquiry"]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REDIRECTED

    site_on_zarinpal.pay(payment.gateway_token)  # paid; the browser never comes back
    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile() == {PaymentStatus.SETTLED: 1}
    assert site_on_zarinpal.asked() == ["request", "inquiry", "inquiry", "verify"]
    assert debt_status(debt) == DebtStatus.SETTLED


@pytest.mark.django_db
def test_reconciliation_closes_a_payment_zarinpal_calls_failed_without_verifying(
    site_on_zarinpal, case, debt, client_of_owner, settings
):
    from cases.payments.reconciliation import reconcile

    settings.PAYMENT_RECONCILE_AFTER_MINUTES = 0
    payment, _ = start_at_zarinpal(client_of_owner, case, site_on_zarinpal)
    site_on_zarinpal.give_up(payment.gateway_token)
    assert reconcile() == {PaymentStatus.FAILED: 1}
    assert site_on_zarinpal.asked() == ["request", "inquiry"]
    assert case.events.get(name="payment_failed").data["reason"] == "bank_failed"
    assert debt_status(debt) == DebtStatus.OPEN


@pytest.mark.django_db
def test_an_unanswered_inquiry_changes_nothing(
    site_on_zarinpal, case, debt, client_of_owner, settings
):
    from cases.payments.reconciliation import reconcile

    settings.PAYMENT_RECONCILE_AFTER_MINUTES = 0
    payment, _ = start_at_zarinpal(client_of_owner, case, site_on_zarinpal)
    site_on_zarinpal.delay_seconds = 1.0  # longer than ZARINPAL_TIMEOUT_SECONDS
    assert reconcile() == {"no_answer": 1}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REDIRECTED


def switch_to_zarinpal(settings, fake) -> None:
    settings.PAYMENT_GATEWAY = "integrations.payments.zarinpal.gateway.ZarinpalGateway"
    settings.ZARINPAL_MERCHANT_ID = MERCHANT
    settings.ZARINPAL_BASE_URL = fake.url
    settings.ZARINPAL_TIMEOUT_SECONDS = 0.5


@pytest.mark.django_db
def test_a_gateway_switch_mid_payment_settles_it_with_the_gateway_that_started_it(
    zarinpal, case, debt, client_of_owner, settings, django_capture_on_commit_callbacks
):
    callback_url = press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), PAY)
    payment = Payment.objects.get()
    assert payment.gateway == "integrations.payments.sandbox.gateway.SandboxGateway"
    switch_to_zarinpal(settings, zarinpal)  # while the citizen is at the sandbox bank

    with django_capture_on_commit_callbacks(execute=True):
        response = client_of_owner.get(callback_url, follow=True)
    assert Page.of(response).has("پرداخت با موفقیت انجام شد")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SETTLED
    assert debt_status(debt) == DebtStatus.SETTLED
    assert zarinpal.requests == []  # Zarinpal was never asked about a sandbox payment


@pytest.mark.django_db
def test_reconciliation_after_a_gateway_switch_asks_the_old_gateway(
    zarinpal, case, debt, client_of_owner, settings, django_capture_on_commit_callbacks
):
    from cases.payments.reconciliation import reconcile

    press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), PAY)  # never returns
    switch_to_zarinpal(settings, zarinpal)
    settings.PAYMENT_RECONCILE_AFTER_MINUTES = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile() == {PaymentStatus.SETTLED: 1}
    assert debt_status(debt) == DebtStatus.SETTLED
    assert zarinpal.requests == []
