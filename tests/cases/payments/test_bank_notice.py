"""The bank's other ways of answering: its server notice (duplicated or delayed), a
callback the bank never confirms, and reconciliation of payments nobody finished."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from cases.models import CaseStatus, DebtStatus
from cases.payments.models import Payment, PaymentStatus
from cases.payments.reconciliation import reconcile
from cases.payments.tasks import reconcile_payments
from integrations.payments.base import GatewayError
from integrations.payments.sandbox import notices
from integrations.payments.sandbox.gateway import (
    NOTICE_SALT,
    SandboxGateway,
    bank_decision,
    callback_redirect_url,
)
from integrations.payments.sandbox.models import BankStatus, SandboxTransaction
from tests.support.concurrency import run_together
from tests.support.factories import CaseFactory, RenovationDebtFactory, UserFactory
from tests.support.pages import Page
from tests.support.payment_fixtures import case, client_of_owner, debt, owner  # noqa: F401 (fixtures)
from tests.support.payments import (
    CANCEL,
    PAY,
    citizen_client,
    debt_status,
    event_names,
    go_to_bank,
)

TEHRAN = ZoneInfo("Asia/Tehran")
NOTIFY_URL = "/payments/notify/"


@pytest.fixture
def sent_notices(monkeypatch):
    """The sandbox bank's server notices, caught instead of sent over HTTP."""
    sent = []
    def deliver(url, params, delay_seconds=0):
        sent.append((url, params, delay_seconds))

    monkeypatch.setattr(notices, "deliver", deliver)
    return sent


def press_with(client, bank_url: str, button: str, delivery: str):
    page = client.get(bank_url)
    form = Page.of(page).form_with_button(button)
    data = form.data({}, button=button) | {"delivery": delivery}
    return client.post(bank_url, data)


def post_notice(params: dict) -> int:
    """What the bank's server does: POST, no session, no CSRF token."""
    return Client(enforce_csrf_checks=True).post(NOTIFY_URL, params).status_code


def the_payment() -> Payment:
    return Payment.objects.get()


# --- the server notice --------------------------------------------------------------


@pytest.mark.django_db
def test_duplicated_callback_notice_and_browser_settle_once(
    case, debt, client_of_owner, sent_notices, verify_calls, django_capture_on_commit_callbacks,
    settled_signals,
):
    response = press_with(client_of_owner, go_to_bank(client_of_owner, case), PAY, "duplicate")
    assert response.status_code == 302
    [(url, params, delay)] = sent_notices
    assert url == "http://testserver/payments/notify/" and delay == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert post_notice(params) == 200
        assert post_notice(params) == 200  # the bank retries its notice
        browser = client_of_owner.get(response["Location"], follow=True)
    assert Page.of(browser).has("پرداخت با موفقیت انجام شد")
    assert the_payment().status == PaymentStatus.SETTLED
    assert len(verify_calls) == 1 and len(settled_signals) == 1
    assert event_names(case) == [
        "payment_started", "payment_returned", "payment_verified", "payment_settled"
    ]
    assert case.events.get(name="payment_returned").data["via"] == "notice"
    assert case.events.get(name="payment_settled").actor is None  # the bank's doing


@pytest.mark.django_db
def test_delayed_callback_the_notice_settles_while_the_browser_waits_at_the_bank(
    case, debt, client_of_owner, sent_notices
):
    response = press_with(client_of_owner, go_to_bank(client_of_owner, case), PAY, "delayed")
    page = Page.of(response)
    assert response.status_code == 200 and page.has("پاسخ بانک با تأخیر")
    [(_, params, delay)] = sent_notices
    assert delay == settings.PAYMENT_SANDBOX_NOTICE_DELAY_SECONDS
    assert the_payment().status == PaymentStatus.REDIRECTED  # nothing arrived yet
    assert post_notice(params) == 200
    assert debt_status(debt) == DebtStatus.SETTLED
    # The citizen returns late by the bank's link: told it is paid, nothing happens twice.
    late = client_of_owner.get(page.link("بازگشت به سایت پذیرنده"), follow=True)
    assert Page.of(late).has("پرداخت با موفقیت انجام شد")
    assert event_names(case).count("payment_settled") == 1


@pytest.mark.django_db
def test_a_cancel_notice_cancels(case, debt, client_of_owner, sent_notices):
    press_with(client_of_owner, go_to_bank(client_of_owner, case), CANCEL, "duplicate")
    assert post_notice(sent_notices[0][1]) == 200
    assert the_payment().status == PaymentStatus.CANCELLED
    assert debt_status(debt) == DebtStatus.OPEN


@pytest.mark.django_db
def test_a_browser_callback_posted_as_a_notice_is_refused(case, debt, client_of_owner, caplog):
    """The browser sees callback signatures only; a notice needs the bank's other key."""
    go_to_bank(client_of_owner, case)
    token = the_payment().gateway_token
    paid_at_bank = SandboxTransaction.objects.filter(order_id=the_payment().order_id)
    paid_at_bank.update(status=BankStatus.PAID)
    assert post_notice(bank_decision(token, "pay")) == 400
    assert "payment notice refused" in caplog.text
    assert the_payment().status == PaymentStatus.REDIRECTED
    assert debt_status(debt) == DebtStatus.OPEN


@pytest.mark.django_db
def test_a_notice_for_an_unknown_order_is_refused(db):
    forged = SandboxGateway().start("P999999999999999", 4_500_000, "/payments/callback/", "")
    assert post_notice(bank_decision(forged.token, "pay", salt=NOTICE_SALT)) == 404
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_notices_are_post_only(client_of_owner):
    assert client_of_owner.get(NOTIFY_URL).status_code == 405


# --- the provider's word decides -----------------------------------------------------


@pytest.mark.django_db
def test_a_paid_callback_the_bank_does_not_confirm_settles_nothing(case, debt, client_of_owner):
    """A correctly signed "paid" answer, but the citizen never paid: verify says no."""
    go_to_bank(client_of_owner, case)
    token = the_payment().gateway_token
    response = client_of_owner.get(callback_redirect_url(token, "pay"), follow=True)
    assert Page.of(response).has("پرداخت انجام نشد")
    payment = the_payment()
    assert payment.status == PaymentStatus.FAILED and not payment.refund_due
    assert debt_status(debt) == DebtStatus.OPEN
    assert case.events.filter(name="payment_failed").get().data["reason"] == "not_paid"


@pytest.mark.django_db
def test_pressing_pay_then_cancel_keeps_the_first_decision(case, client_of_owner):
    bank_url = go_to_bank(client_of_owner, case)
    press_with(client_of_owner, bank_url, PAY, "normal")
    second = press_with(client_of_owner, bank_url, CANCEL, "normal")
    assert "status=paid" in second["Location"]
    client_of_owner.get(second["Location"])
    assert the_payment().status == PaymentStatus.SETTLED


# --- reconciliation -----------------------------------------------------------------


def at(minutes: int) -> datetime.datetime:
    return datetime.datetime(2026, 11, 24, 10, 0, tzinfo=TEHRAN) + datetime.timedelta(
        minutes=minutes
    )


@pytest.mark.django_db
def test_reconciliation_settles_a_returned_but_unverified_payment(
    case, debt, client_of_owner, monkeypatch, django_capture_on_commit_callbacks
):
    bank_url = go_to_bank(client_of_owner, case)
    real_verify = SandboxGateway.verify

    def bank_down(self, *args, **kwargs):
        raise GatewayError("connection reset")

    monkeypatch.setattr(SandboxGateway, "verify", bank_down)
    callback = press_with(client_of_owner, bank_url, PAY, "normal")["Location"]
    response = client_of_owner.get(callback, follow=True)
    assert Page.of(response).has("در حال تأیید است")
    assert the_payment().status == PaymentStatus.RETURNED
    # A new attempt is refused while this one may be paid.
    again = client_of_owner.post(f"/payments/start/{case.pk}/", {"next": "/services/"})
    assert again.status_code == 302 and again["Location"] == "/services/"
    assert Payment.objects.count() == 1

    monkeypatch.setattr(SandboxGateway, "verify", real_verify)
    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile() == {PaymentStatus.SETTLED: 1}
    assert the_payment().status == PaymentStatus.SETTLED
    assert debt_status(debt) == DebtStatus.SETTLED
    case.refresh_from_db()
    assert case.status == CaseStatus.FEES_SETTLED
    assert reconcile() == {}  # nothing left pending


@pytest.mark.django_db
def test_reconciliation_fails_a_returned_payment_the_provider_calls_unpaid(
    case, debt, client_of_owner, monkeypatch
):
    go_to_bank(client_of_owner, case)
    token = the_payment().gateway_token
    def bank_down(self, *args, **kwargs):
        raise GatewayError("down")

    monkeypatch.setattr(SandboxGateway, "verify", bank_down)
    client_of_owner.get(callback_redirect_url(token, "pay"))  # claims paid; bank unreachable
    assert the_payment().status == PaymentStatus.RETURNED
    monkeypatch.undo()
    assert reconcile() == {PaymentStatus.FAILED: 1}
    assert debt_status(debt) == DebtStatus.OPEN


@pytest.mark.django_db
def test_reconciliation_expires_an_abandoned_payment(case, debt, client_of_owner, verify_calls):
    with time_machine.travel(at(0), tick=False) as clock:
        go_to_bank(client_of_owner, case)
        clock.move_to(at(5))
        assert reconcile() == {}  # maybe still at the bank: not asked yet
        clock.move_to(at(settings.PAYMENT_RECONCILE_AFTER_MINUTES + 1))
        # Asked: the bank says the citizen has not finished there, so verify (which would
        # confirm the payment under them) is not called; it waits for its expiry.
        assert reconcile() == {"in_bank": 1}
        assert verify_calls == []
        clock.move_to(at(settings.PAYMENT_EXPIRY_MINUTES + 1))
        assert reconcile() == {PaymentStatus.EXPIRED: 1}
    payment = the_payment()
    assert payment.status == PaymentStatus.EXPIRED
    assert case.events.get(name="payment_expired").data["reason"] == "abandoned"
    assert debt_status(debt) == DebtStatus.OPEN


@pytest.mark.django_db
def test_reconciliation_settles_a_paid_payment_whose_callbacks_were_lost(
    case, debt, client_of_owner, sent_notices
):
    with time_machine.travel(at(0), tick=False) as clock:
        press_with(client_of_owner, go_to_bank(client_of_owner, case), PAY, "delayed")
        sent_notices.clear()  # the notice is lost, the citizen closes the tab
        clock.move_to(at(settings.PAYMENT_RECONCILE_AFTER_MINUTES + 1))
        reconcile_payments.delay()  # the beat task, run eagerly
    assert the_payment().status == PaymentStatus.SETTLED
    assert debt_status(debt) == DebtStatus.SETTLED


def test_reconciliation_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["payments-reconcile"]
    assert entry["task"] == "payments.reconcile" and entry["schedule"] > 0
    assert settings.PAYMENT_RECONCILE_AFTER_MINUTES < settings.PAYMENT_EXPIRY_MINUTES
    from config.celery import app

    app.loader.import_default_modules()  # what a worker and beat do at start
    assert "payments.reconcile" in app.tasks


# --- PostgreSQL: the browser's return racing the bank's notice ---------------------


@pytest.mark.django_db(transaction=True)
def test_browser_return_and_notice_at_once_settle_once(
    postgres, sent_notices, verify_calls, settled_signals
):
    owner = UserFactory()
    debt = RenovationDebtFactory(amount_rials=4_500_000)
    case = CaseFactory(citizen=owner, property=debt.property, advanced_to="inspection_approved")
    browser = citizen_client(owner)
    callback = press_with(browser, go_to_bank(browser, case), PAY, "duplicate")["Location"]
    [(_, params, _)] = sent_notices

    results = run_together(
        lambda: browser.get(callback).status_code,
        lambda: post_notice(params),
        lambda: post_notice(params),
        lambda: reconcile(),
    )

    assert results[:3] == [302, 200, 200], results
    assert len(verify_calls) == 1
    assert debt_status(debt) == DebtStatus.SETTLED
    assert Payment.objects.get().status == PaymentStatus.SETTLED
    assert event_names(case).count("payment_settled") == 1
    assert len(settled_signals) == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.FEES_SETTLED
    assert case.events.filter(name="fees_settled").count() == 1


# --- the notice over real HTTP ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_notice_reaches_the_site_over_http(live_server):
    """notices.deliver as the sandbox bank really sends it: a thread, HTTP, the live site."""
    import time

    from cases.payments.services import start_payment
    from integrations.payments.sandbox.gateway import decide, notice

    owner = UserFactory()
    debt = RenovationDebtFactory(amount_rials=4_500_000)
    case = CaseFactory(citizen=owner, property=debt.property, advanced_to="inspection_approved")
    payment = start_payment(
        case, owner, "/services/", notify_url=f"{live_server.url}/payments/notify/"
    )
    decide(payment.gateway_token, "pay")
    url, params = notice(payment.gateway_token, "pay")
    notices.deliver(url, params)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and debt_status(debt) != DebtStatus.SETTLED:
        time.sleep(0.2)
    assert debt_status(debt) == DebtStatus.SETTLED
    assert Payment.objects.get().status == PaymentStatus.SETTLED
