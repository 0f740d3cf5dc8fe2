"""Paying renovation fees through the sandbox bank, as a citizen's browser does.

Pages are read by their visible labels: the fees panel's پرداخت آنلاین, the bank's
پرداخت and انصراف. Whatever the callback URL is made to say, a debt is settled once.
"""

import datetime
import logging
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from cases.models import CaseStatus, DebtStatus, RenovationDebt
from cases.payments.models import Payment, PaymentStatus
from cases.payments.services import has_open_debt, open_debt_summary
from integrations.payments.base import PaymentGateway, VerifyResult
from integrations.payments.sandbox.gateway import SandboxGateway, callback_redirect_url
from tests.support.concurrency import run_together
from tests.support.factories import CaseFactory, PropertyFactory, RenovationDebtFactory, UserFactory
from tests.support.pages import Page
from tests.support.payment_fixtures import case, client_of_owner, debt, owner  # noqa: F401 (fixtures)
from tests.support.payments import (
    CANCEL,
    NO_DEBT,
    PAY,
    PAY_ONLINE,
    RETURN_URL,
    citizen_client,
    debt_status,
    event_names,
    fees_panel,
    go_to_bank,
    press_at_bank,
    press_pay_online,
    start_directly,
    with_param,
)

# --- the fees panel -----------------------------------------------------------------


@pytest.mark.django_db
def test_fees_panel_shows_the_debt_with_pay_online(case):
    page = fees_panel(case)
    assert page.has("۴٬۵۰۰٬۰۰۰ ریال")
    assert page.form_with_button(PAY_ONLINE).attrs["action"] == f"/payments/start/{case.pk}/"
    assert not page.has(NO_DEBT)
    assert has_open_debt(case) and [d.amount_rials for d in open_debt_summary(case)] == [4_500_000]


@pytest.mark.django_db
def test_fees_panel_without_debt_says_so_in_green():
    case = CaseFactory(property=PropertyFactory())
    page = fees_panel(case)
    assert '<p class="message-success">این کدنوسازی فاقد بدهی می باشد</p>' in page.html
    assert not page.forms
    assert not has_open_debt(case) and open_debt_summary(case) == []


# --- the sandbox bank ---------------------------------------------------------------


@pytest.mark.django_db
def test_bank_page_shows_amount_merchant_and_says_it_is_a_test(case, client_of_owner):
    page = Page.of(client_of_owner.get(go_to_bank(client_of_owner, case)))
    assert page.has("درگاه آزمایشی — پولی جابه‌جا نمی‌شود")
    assert page.has("شهرداری")
    assert page.has("۴٬۵۰۰٬۰۰۰ ریال (۴۵۰٬۰۰۰ تومان)")
    form = page.form_with_button(PAY)
    assert form.button(CANCEL)


@pytest.mark.django_db
def test_bank_refuses_a_forged_token(client_of_owner):
    assert client_of_owner.get("/bank/pay/not-a-signed-token/").status_code == 404


class OtherGateway(PaymentGateway):
    def start(self, order_id, amount_rials, callback_url, description):
        raise NotImplementedError

    def verify(self, order_id, token, amount_rials, callback_params):
        raise NotImplementedError

    def parse_callback(self, request):
        raise NotImplementedError


@pytest.mark.django_db
def test_bank_page_is_not_served_with_a_real_gateway(case, client_of_owner, settings):
    bank_url = go_to_bank(client_of_owner, case)
    settings.PAYMENT_GATEWAY = f"{__name__}.OtherGateway"
    assert client_of_owner.get(bank_url).status_code == 404


# --- paying and cancelling ----------------------------------------------------------


@pytest.mark.django_db
def test_paying_settles_the_debt_and_shows_a_receipt(
    case, debt, client_of_owner, django_capture_on_commit_callbacks, settled_signals
):
    callback_url = press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), PAY)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of_owner.get(callback_url, follow=True)
    assert response.redirect_chain[0] == (RETURN_URL, 302)
    assert Page.of(response).has("پرداخت با موفقیت انجام شد")

    payment = Payment.objects.get(case=case)
    settled = RenovationDebt.objects.get(pk=debt.pk)
    assert payment.status == PaymentStatus.SETTLED and payment.amount_rials == 4_500_000
    assert settled.status == DebtStatus.SETTLED
    assert settled.settlement_reference == payment.reference and len(payment.reference) == 12
    assert event_names(case) == [
        "payment_started", "payment_returned", "payment_verified", "payment_settled"
    ]
    assert case.events.filter(name="payment_settled").get().data["order_id"] == payment.order_id
    # The case moved on with the settlement, by its payer, with the bank's reference.
    case.refresh_from_db()
    fees_event = case.events.get(name="fees_settled")
    assert case.status == CaseStatus.FEES_SETTLED and fees_event.actor == case.citizen
    assert fees_event.data["reference"] == payment.reference
    assert settled_signals == [payment.order_id]
    assert fees_panel(case).has(NO_DEBT)

    receipt = Page.of(client_of_owner.get(f"/payments/receipt/{payment.order_id}/"))
    assert receipt.has("۴٬۵۰۰٬۰۰۰ ریال")
    assert receipt.has(payment.reference.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
    assert receipt.has("پرداخت شده")


@pytest.mark.django_db
def test_a_callback_writes_its_payment_once_and_its_events_together(case, client_of_owner):
    """Returned, verified and settled in one transaction: one UPDATE of the payment and one
    INSERT of the three events (settlement._locked), not one of each per state."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    callback_url = press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), PAY)
    with CaptureQueriesContext(connection) as captured:
        client_of_owner.get(callback_url)
    statements = [q["sql"] for q in captured.captured_queries]
    assert len([s for s in statements if s.startswith('UPDATE "payments_payment"')]) == 1
    assert len([s for s in statements if s.startswith('INSERT INTO "cases_caseevent"')]) == 1
    assert Payment.objects.get(case=case).status == PaymentStatus.SETTLED
    assert event_names(case)[-3:] == ["payment_returned", "payment_verified", "payment_settled"]


@pytest.mark.django_db
def test_cancelling_at_the_bank_leaves_the_debt_open(case, debt, client_of_owner):
    callback_url = press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), CANCEL)
    response = client_of_owner.get(callback_url, follow=True)
    assert Page.of(response).has("پرداخت لغو شد")
    assert Payment.objects.get(case=case).status == PaymentStatus.CANCELLED
    assert debt_status(debt) == DebtStatus.OPEN
    assert event_names(case) == ["payment_started", "payment_returned", "payment_cancelled"]
    # The citizen can try again.
    assert press_pay_online(client_of_owner, case).status_code == 302


@pytest.mark.django_db
def test_a_replayed_callback_settles_once(
    case, debt, client_of_owner, verify_calls, django_capture_on_commit_callbacks, settled_signals
):
    callback_url = press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), PAY)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert client_of_owner.get(callback_url).status_code == 302
    assert len(verify_calls) == 1
    assert event_names(case).count("payment_settled") == 1
    assert len(settled_signals) == 1
    assert debt_status(debt) == DebtStatus.SETTLED


# --- refused callbacks: nothing changes ---------------------------------------------


def assert_nothing_settled(case, debt) -> None:
    assert Payment.objects.get(case=case).status == PaymentStatus.REDIRECTED
    assert debt_status(debt) == DebtStatus.OPEN
    assert event_names(case) == ["payment_started"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [
        {"amount": "4500"},
        {"signature": "forged"},
        {"order_id": "P000000000000001"},
        {"status": "paid"},  # a cancel turned into a payment
    ],
)
def test_a_tampered_callback_is_refused(case, debt, client_of_owner, tamper, caplog):
    button = CANCEL if tamper.get("status") == "paid" else PAY
    callback_url = press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), button)
    with caplog.at_level(logging.WARNING, logger="cases.payments"):
        response = client_of_owner.get(with_param(callback_url, **tamper))
    assert response.status_code == 400
    assert Page.of(response).has("پاسخ بانک معتبر نیست")
    assert_nothing_settled(case, debt)
    # The refusal is logged for the operators, with what did not check out.
    [refusal] = [r for r in caplog.records if r.name == "cases.payments.views"]
    assert refusal.levelno == logging.WARNING
    assert refusal.getMessage().startswith("payment callback refused: sandbox callback")


@pytest.mark.django_db
def test_a_callback_for_an_unknown_order_is_refused(case, client_of_owner):
    forged = SandboxGateway().start("P123456789012345", 4_500_000, "/payments/callback/", "")
    response = client_of_owner.get(callback_redirect_url(forged.token, "pay"))
    assert response.status_code == 404
    assert Page.of(response).has("پرداخت یافت نشد")
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_another_citizen_cannot_use_the_owners_callback(case, debt, client_of_owner):
    callback_url = press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), PAY)
    intruder = citizen_client(UserFactory())
    assert intruder.get(callback_url).status_code == 404
    assert_nothing_settled(case, debt)
    # The owner's own return still works afterwards.
    client_of_owner.get(callback_url)
    assert debt_status(debt) == DebtStatus.SETTLED


@pytest.mark.django_db
def test_a_bank_reporting_another_amount_fails_the_payment(
    case, debt, client_of_owner, monkeypatch, caplog
):
    callback_url = press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), PAY)
    monkeypatch.setattr(
        SandboxGateway,
        "verify",
        lambda self, *a, **k: VerifyResult(paid=True, reference="1", amount_rials=4_500),
    )
    response = client_of_owner.get(callback_url, follow=True)
    assert Page.of(response).has("پرداخت انجام نشد")
    assert Payment.objects.get(case=case).status == PaymentStatus.FAILED
    assert debt_status(debt) == DebtStatus.OPEN
    assert case.events.last().data["reason"] == "amount_mismatch"
    assert "bank reports 4500 rials, expected 4500000" in caplog.text


@pytest.mark.django_db
def test_a_paid_callback_after_the_expiry_asks_the_bank_and_settles(
    case, debt, client_of_owner, verify_calls
):
    start = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Tehran"))
    with time_machine.travel(start, tick=False) as traveller:
        callback_url = press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), PAY)
        traveller.shift(datetime.timedelta(minutes=31))
        # Her idle session has ended meanwhile: she logs in again and comes back.
        response = citizen_client(case.citizen).get(callback_url, follow=True)
    # The bank says she paid and the debt is still open: settled, not left to be reversed.
    assert Page.of(response).has("پرداخت با موفقیت انجام شد")
    assert Payment.objects.get(case=case).status == PaymentStatus.SETTLED
    assert len(verify_calls) == 1
    assert debt_status(debt) == DebtStatus.SETTLED


@pytest.mark.django_db
def test_a_paid_claim_after_the_expiry_the_bank_denies_is_not_verified(
    case, debt, client_of_owner, verify_calls
):
    start = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Tehran"))
    with time_machine.travel(start, tick=False) as traveller:
        go_to_bank(client_of_owner, case)
        token = Payment.objects.get(case=case).gateway_token
        traveller.shift(datetime.timedelta(minutes=31))
        # Signed "paid", but nothing was paid at the bank (its inquiry: still there).
        claim = callback_redirect_url(token, "pay")
        response = citizen_client(case.citizen).get(claim, follow=True)
    assert Page.of(response).has("پرداخت انجام نشد")
    assert Payment.objects.get(case=case).status == PaymentStatus.EXPIRED
    assert verify_calls == []  # never verified, so the bank returns any money itself
    assert debt_status(debt) == DebtStatus.OPEN


# --- starting: who, where to, and for what ------------------------------------------


@pytest.mark.django_db
def test_another_citizen_cannot_start_a_payment_for_the_case(case):
    intruder = citizen_client(UserFactory())
    assert press_pay_online(intruder, case).status_code == 404
    assert not Payment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example"]
)
def test_start_refuses_an_open_redirect(case, client_of_owner, next_url):
    response = press_pay_online(client_of_owner, case, return_url=next_url)
    assert response.status_code == 400
    assert Page.of(response).has("نشانی بازگشت معتبر نیست")
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_start_is_post_only(case, client_of_owner):
    assert client_of_owner.get(f"/payments/start/{case.pk}/").status_code == 405


@pytest.mark.django_db
def test_start_without_debt_says_there_is_none(client_of_owner, owner):
    case = CaseFactory(citizen=owner, advanced_to="inspection_approved")
    response = start_directly(client_of_owner, case)
    assert Page.of(response).has(NO_DEBT)
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_a_cancelled_case_cannot_pay(case, client_of_owner):
    case.cancel(reason="ابطال آزمایشی")
    case.save()
    assert case.status == CaseStatus.CANCELLED
    response = start_directly(client_of_owner, case)
    assert Page.of(response).has("این درخواست بسته شده است")
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_receipt_is_only_for_the_owner(case, client_of_owner):
    go_to_bank(client_of_owner, case)
    order_id = Payment.objects.get().order_id
    assert client_of_owner.get(f"/payments/receipt/{order_id}/").status_code == 200
    assert citizen_client(UserFactory()).get(f"/payments/receipt/{order_id}/").status_code == 404


# --- one debt, several attempts -----------------------------------------------------


@pytest.mark.django_db
def test_two_cases_of_one_property_settle_the_debt_once(case, debt, client_of_owner):
    other_case = CaseFactory(property=debt.property, advanced_to="inspection_approved")
    other_client = citizen_client(other_case.citizen)
    first_bank = go_to_bank(client_of_owner, case)
    # While the owner is at the bank, the other citizen is told to come back later.
    response = press_pay_online(other_client, other_case)
    assert response.status_code == 302 and response["Location"] == RETURN_URL
    assert Page.of(other_client.get(RETURN_URL)).has("در حال پرداخت است")
    assert Payment.objects.count() == 1

    callback = press_at_bank(client_of_owner, first_bank, PAY)
    assert Page.of(client_of_owner.get(callback, follow=True)).has("پرداخت با موفقیت انجام شد")
    payment = Payment.objects.get(case=case)
    assert payment.status == PaymentStatus.SETTLED
    assert RenovationDebt.objects.get(pk=debt.pk).settlement_reference == payment.reference
    # Nothing left to pay for either case.
    for client, its_case in [(client_of_owner, case), (other_client, other_case)]:
        assert Page.of(start_directly(client, its_case)).has(NO_DEBT)
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_a_payment_for_a_debt_settled_meanwhile_is_left_for_the_bank_to_reverse(
    case, debt, client_of_owner, verify_calls
):
    callback_url = press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), PAY)
    elsewhere = RenovationDebt.objects.get(pk=debt.pk)
    elsewhere.settle(reference="office-0001", at=timezone.now())  # paid at an office
    elsewhere.save()

    response = client_of_owner.get(callback_url, follow=True)
    page = Page.of(response)
    assert page.has("پرداخت انجام نشد") and page.has("با پرداخت دیگری تسویه شد")
    assert page.has("بانک آن را حداکثر تا ۷۲ ساعت بازمی‌گرداند")
    payment = Payment.objects.get(case=case)
    # No automatic refunds: the money was never verified (captured), so the bank returns it.
    assert verify_calls == []
    assert payment.status == PaymentStatus.FAILED and not payment.refund_due
    assert RenovationDebt.objects.get(pk=debt.pk).settlement_reference == "office-0001"
    assert event_names(case) == ["payment_started", "payment_returned", "payment_failed"]
    assert case.events.last().data["reason"] == "debt_settled"


@pytest.mark.django_db
def test_no_new_attempt_while_a_payment_is_being_verified(case, client_of_owner):
    go_to_bank(client_of_owner, case)
    payment = Payment.objects.get()
    payment.mark_verified(reference="123")
    payment.save()
    response = press_pay_online(client_of_owner, case)
    assert response.status_code == 302 and response["Location"] == RETURN_URL
    assert Payment.objects.count() == 1


# --- PostgreSQL: real connections racing --------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_callbacks_settle_once(postgres, verify_calls, settled_signals):
    owner = UserFactory()
    debt = RenovationDebtFactory(amount_rials=4_500_000)
    case = CaseFactory(citizen=owner, property=debt.property, advanced_to="inspection_approved")
    browser = citizen_client(owner)
    callback_url = press_at_bank(browser, go_to_bank(browser, case), PAY)
    tabs = [citizen_client(owner), citizen_client(owner)]

    statuses = run_together(*[lambda tab=tab: tab.get(callback_url).status_code for tab in tabs])

    assert statuses == [302, 302]
    assert len(verify_calls) == 1  # the second waited for the lock, then saw it settled
    assert debt_status(debt) == DebtStatus.SETTLED
    assert event_names(case).count("payment_settled") == 1
    assert len(settled_signals) == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_starts_for_one_debt_leave_one_attempt(postgres, monkeypatch):
    debt = RenovationDebtFactory(amount_rials=4_500_000)
    cases = [
        CaseFactory(property=debt.property, advanced_to="inspection_approved"),
        CaseFactory(property=debt.property, advanced_to="inspection_approved"),
    ]
    real_start = SandboxGateway.start

    def slow_start(self, *args, **kwargs):
        time.sleep(0.2)  # while the debt is locked
        return real_start(self, *args, **kwargs)

    monkeypatch.setattr(SandboxGateway, "start", slow_start)
    browsers = [citizen_client(c.citizen) for c in cases]

    statuses = run_together(
        *[lambda b=b, c=c: press_pay_online(b, c) for b, c in zip(browsers, cases)]
    )

    # One went to the bank; the other was told it is being paid. Neither was expired.
    assert [s.status_code for s in statuses] == [302, 302]
    assert sorted(s["Location"].startswith("/bank/pay/") for s in statuses) == [False, True]
    assert list(Payment.objects.values_list("status", flat=True)) == [PaymentStatus.REDIRECTED]


@pytest.mark.django_db
def test_transfer_fees_cannot_be_paid_before_the_inspection_approved(owner, debt, client_of_owner):
    case = CaseFactory(citizen=owner, property=debt.property, advanced_to="registered")
    response = start_directly(client_of_owner, case)
    assert Page.of(response).has("پس از تأیید بازدید کارشناس")
    assert not Payment.objects.exists()
    assert debt_status(debt) == DebtStatus.OPEN
