"""One citizen's payment never cancels another's.

Two or more citizens with open cases on one property owe the same debt. While one is at
the bank, the others are told in Persian that it is being paid and to come back later; a
payment the bank says was paid is verified and settled, never expired under its payer;
an attempt abandoned past PAYMENT_AT_BANK_MINUTES may be replaced, after asking the bank;
and whoever's money cannot settle the debt is told the bank reverses it.
"""

from __future__ import annotations

import datetime
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from cases.models import CaseEvent, DebtStatus
from cases.payments.at_bank import at_bank_window
from cases.payments.models import Payment, PaymentStatus
from integrations.payments.base import GatewayError
from integrations.payments.sandbox.gateway import (
    NOTICE_SALT,
    SandboxGateway,
    bank_decision,
    decide,
)
from integrations.payments.sandbox.models import SandboxTransaction
from tests.support.concurrency import run_together
from tests.support.factories import CaseFactory, RenovationDebtFactory
from tests.support.pages import Page
from tests.support.payments import (
    NO_DEBT,
    PAY,
    RETURN_URL,
    citizen_client,
    debt_status,
    fees_panel,
    go_to_bank,
    press_at_bank,
    press_pay_online,
    start_directly,
)

T0 = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Tehran"))
BEING_PAID = "این بدهی هم‌اکنون در حال پرداخت است"
JUST_PAID = "پرداختی که پیش‌تر برای این بدهی در بانک انجام شده بود تأیید و بدهی تسویه شد"
PAID_OK = "پرداخت با موفقیت انجام شد"
REVERSED_BY_BANK = "بانک آن را حداکثر تا ۷۲ ساعت بازمی‌گرداند"


def citizens_of_one_debt(count: int):
    """`count` citizens, each with a transfer case waiting for the same debt's payment."""
    debt = RenovationDebtFactory(amount_rials=4_500_000)
    cases = [
        CaseFactory(property=debt.property, advanced_to="inspection_approved")
        for _ in range(count)
    ]
    return debt, cases, [citizen_client(c.citizen) for c in cases]


def told(client) -> Page:
    """The page the citizen is sent back to, with the message waiting for them."""
    return Page.of(client.get(RETURN_URL))


def expired_events() -> int:
    return CaseEvent.objects.filter(name="payment_expired").count()


@pytest.fixture
def slow_bank(monkeypatch):
    """verify and the inquiry take a moment, as a bank's do: long enough for races."""
    calls = []
    real_verify, real_inquire = SandboxGateway.verify, SandboxGateway.inquire

    def verify(self, *args, **kwargs):
        calls.append(args[0])
        time.sleep(0.2)
        return real_verify(self, *args, **kwargs)

    def inquire(self, *args, **kwargs):
        time.sleep(0.1)
        return real_inquire(self, *args, **kwargs)

    monkeypatch.setattr(SandboxGateway, "verify", verify)
    monkeypatch.setattr(SandboxGateway, "inquire", inquire)
    return calls


# --- PostgreSQL: citizens racing for one debt -----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_while_one_is_at_the_bank_the_others_are_told_to_come_back(postgres, slow_bank):
    debt, cases, browsers = citizens_of_one_debt(5)
    with time_machine.travel(T0, tick=False):
        bank_page = go_to_bank(browsers[0], cases[0])
        answers = run_together(*[
            lambda b=b, c=c: press_pay_online(b, c) for b, c in zip(browsers[1:], cases[1:])
        ])
        assert [a.status_code for a in answers] == [302] * 4
        assert {a["Location"] for a in answers} == {RETURN_URL}
        for browser in browsers[1:]:
            page = told(browser)
            assert page.has(BEING_PAID)
            assert page.has("لطفاً ۱۵ دقیقه دیگر دوباره مراجعه کنید")
        # The one at the bank was left alone: still there, nothing expired, nothing new.
        assert list(Payment.objects.values_list("status", flat=True)) == [
            PaymentStatus.REDIRECTED
        ]
        assert expired_events() == 0
        callback = press_at_bank(browsers[0], bank_page, PAY)
        browsers[0].get(callback)
        assert told(browsers[0]).has(PAID_OK)
        assert debt_status(debt) == DebtStatus.SETTLED
        for browser, case in zip(browsers[1:], cases[1:]):
            assert Page.of(start_directly(browser, case)).has(NO_DEBT)


@pytest.mark.django_db(transaction=True)
def test_paid_at_the_bank_while_others_start_is_settled_not_expired(postgres, slow_bank):
    """The reported case: she had paid at the bank, her return not yet in, when four
    others pressed پرداخت آنلاین at once. She sees it settled; they see it paid."""
    debt, cases, browsers = citizens_of_one_debt(5)
    callback = press_at_bank(browsers[0], go_to_bank(browsers[0], cases[0]), PAY)

    answers = run_together(
        *[lambda b=b, c=c: press_pay_online(b, c) for b, c in zip(browsers[1:], cases[1:])]
    )
    assert [a.status_code for a in answers] == [302] * 4
    payment = Payment.objects.get()  # no other attempt was started, hers was not expired
    assert payment.status == PaymentStatus.SETTLED and payment.case_id == cases[0].pk
    assert len(slow_bank) == 1  # verified once, by whichever start got the debt's lock
    # The first to get the lock asked the bank and settled it; the rest found nothing owed.
    pages = [told(browser) for browser in browsers[1:]]
    assert sorted(page.has(JUST_PAID) for page in pages) == [False, False, False, True]
    assert all(page.has(JUST_PAID) or page.has(NO_DEBT) for page in pages)

    # Her return from the bank, late, and the bank's server notice at the same moment.
    notice = bank_decision(payment.gateway_token, "pay", salt=NOTICE_SALT)
    answers = run_together(
        lambda: browsers[0].get(callback), lambda: Client().post("/payments/notify/", notice)
    )
    assert [a.status_code for a in answers] == [302, 200]
    assert told(browsers[0]).has(PAID_OK)
    assert expired_events() == 0
    assert debt_status(debt) == DebtStatus.SETTLED
    assert Payment.objects.get().status == PaymentStatus.SETTLED


# --- the rule, step by step (any database) --------------------------------------------


@pytest.mark.django_db
def test_the_fees_panel_says_it_is_being_paid_before_the_button_is_pressed():
    _, cases, browsers = citizens_of_one_debt(2)
    with time_machine.travel(T0, tick=False) as clock:
        go_to_bank(browsers[0], cases[0])
        clock.shift(datetime.timedelta(minutes=6))
        assert fees_panel(cases[1]).has(BEING_PAID)
        assert fees_panel(cases[1]).has("لطفاً ۹ دقیقه دیگر")
        assert not fees_panel(cases[0]).has(BEING_PAID)  # the payer's own panel


@pytest.mark.django_db
def test_an_attempt_abandoned_past_the_window_is_replaced_after_asking_the_bank(settings):
    settings.PAYMENT_AT_BANK_MINUTES = 5
    _, cases, browsers = citizens_of_one_debt(2)
    with time_machine.travel(T0, tick=False) as clock:
        go_to_bank(browsers[0], cases[0])
        clock.shift(datetime.timedelta(minutes=4))
        assert press_pay_online(browsers[1], cases[1])["Location"] == RETURN_URL
        assert told(browsers[1]).has("لطفاً ۱ دقیقه دیگر")
        clock.shift(datetime.timedelta(minutes=2))
        assert press_pay_online(browsers[1], cases[1])["Location"].startswith("/bank/pay/")
    first, second = Payment.objects.order_by("pk")
    assert (first.status, second.status) == (PaymentStatus.EXPIRED, PaymentStatus.REDIRECTED)
    assert first.case.events.get(name="payment_expired").data["reason"] == "abandoned"


@pytest.mark.django_db
def test_paid_late_after_being_replaced_settles_and_the_other_is_told_the_bank_reverses(
    settings,
):
    settings.PAYMENT_AT_BANK_MINUTES = 5
    debt, cases, browsers = citizens_of_one_debt(2)
    with time_machine.travel(T0, tick=False) as clock:
        first_bank = go_to_bank(browsers[0], cases[0])
        clock.shift(datetime.timedelta(minutes=6))
        second_bank = go_to_bank(browsers[1], cases[1])  # the first counted as abandoned
        # ...but its citizen was still on the bank's page, and pays there.
        first_callback = press_at_bank(browsers[0], first_bank, PAY)
        second_callback = press_at_bank(browsers[1], second_bank, PAY)
        browsers[0].get(first_callback)
        browsers[1].get(second_callback)
        # (Read while the clock still stands there: the sessions' idle timeout.)
        first_told, second_told = told(browsers[0]), told(browsers[1])
        order_id = Payment.objects.order_by("pk").last().order_id
        receipt = Page.of(browsers[1].get(f"/payments/receipt/{order_id}/"))
    first, second = Payment.objects.order_by("pk")
    assert first_told.has(PAID_OK)
    assert first.status == PaymentStatus.SETTLED
    assert debt_status(debt) == DebtStatus.SETTLED
    assert second_told.has("پرداخت انجام نشد") and second_told.has("با پرداخت دیگری تسویه شد")
    assert second_told.has(REVERSED_BY_BANK)
    assert second.status == PaymentStatus.FAILED and not second.refund_due
    # Never verified, so the bank (not a refund we do not have) gives the money back.
    assert SandboxTransaction.objects.get(order_id=second.order_id).verified_at is None
    assert receipt.has("با پرداخت دیگری تسویه شده است") and receipt.has(REVERSED_BY_BANK)


@pytest.mark.django_db
def test_a_citizen_pressing_again_replaces_her_own_attempt():
    _, cases, browsers = citizens_of_one_debt(1)
    go_to_bank(browsers[0], cases[0])
    assert press_pay_online(browsers[0], cases[0])["Location"].startswith("/bank/pay/")
    first, second = Payment.objects.order_by("pk")
    assert (first.status, second.status) == (PaymentStatus.EXPIRED, PaymentStatus.REDIRECTED)
    assert first.case.events.get(name="payment_expired").data["reason"] == "newer_attempt"


@pytest.mark.django_db
@pytest.mark.parametrize("same_citizen", [True, False])
def test_an_earlier_attempt_the_bank_says_was_paid_is_settled_instead(same_citizen):
    debt, cases, browsers = citizens_of_one_debt(2)
    go_to_bank(browsers[0], cases[0])
    decide(Payment.objects.get().gateway_token, "pay")  # paid; the return never came
    starter = 0 if same_citizen else 1
    assert press_pay_online(browsers[starter], cases[starter])["Location"] == RETURN_URL
    assert told(browsers[starter]).has(JUST_PAID)
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.SETTLED and payment.case_id == cases[0].pk
    assert debt_status(debt) == DebtStatus.SETTLED


@pytest.mark.django_db
def test_an_earlier_attempt_the_bank_calls_failed_is_replaced_at_once():
    _, cases, browsers = citizens_of_one_debt(2)
    go_to_bank(browsers[0], cases[0])
    decide(Payment.objects.get().gateway_token, "cancel")  # the return was lost
    assert press_pay_online(browsers[1], cases[1])["Location"].startswith("/bank/pay/")
    first = Payment.objects.order_by("pk").first()
    assert first.status == PaymentStatus.EXPIRED
    assert first.case.events.get(name="payment_expired").data["reason"] == "bank_failed"


@pytest.mark.django_db
def test_nothing_is_replaced_when_the_bank_cannot_be_asked(monkeypatch):
    def unreachable(self, order_id, token):
        raise GatewayError("bank unreachable")

    monkeypatch.setattr(SandboxGateway, "inquire", unreachable)
    _, cases, browsers = citizens_of_one_debt(2)
    with time_machine.travel(T0, tick=False) as clock:
        go_to_bank(browsers[0], cases[0])
        clock.shift(at_bank_window() + datetime.timedelta(minutes=1))  # abandoned, maybe
        assert press_pay_online(browsers[1], cases[1])["Location"] == RETURN_URL
        assert told(browsers[1]).has("اتصال به درگاه پرداخت برقرار نشد")
    assert list(Payment.objects.values_list("status", flat=True)) == [
        PaymentStatus.REDIRECTED
    ]


@pytest.mark.django_db
def test_the_window_is_a_setting_never_longer_than_the_payment_expiry(settings):
    assert at_bank_window() == datetime.timedelta(minutes=15)  # the default
    settings.PAYMENT_AT_BANK_MINUTES = 8
    assert at_bank_window() == datetime.timedelta(minutes=8)
    settings.PAYMENT_AT_BANK_MINUTES, settings.PAYMENT_EXPIRY_MINUTES = 60, 30
    assert at_bank_window() == datetime.timedelta(minutes=30)
