"""No sequence of replayed, reordered or forged bank answers settles a debt twice, or
settles one the bank was not paid for (a Hypothesis state machine over the real views).

Two citizens with open cases on one property, and an intruder. Hypothesis interleaves:
starting attempts, the bank's buttons, browser callbacks (genuine, replayed, from the
wrong citizen, tampered), server notices (genuine and forged), a bank that cannot be
reached, payment at an office, and reconciliation. After every step the invariants hold.
"""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from hypothesis.stateful import run_state_machine_as_test
from django.utils import timezone

from cases.models import CaseEvent, DebtStatus, RenovationDebt
from cases.payments.models import Payment, PaymentStatus
from cases.payments.reconciliation import reconcile
from integrations.payments.base import GatewayError
from integrations.payments.sandbox import gateway as sandbox
from integrations.payments.sandbox.models import BankStatus, SandboxTransaction
from tests.support.factories import CaseFactory, RenovationDebtFactory, UserFactory

DECISIONS = st.sampled_from(["pay", "cancel"])
TAMPERING = st.sampled_from(
    [
        {"amount": "4500"},
        {"signature": "x" * 43},
        {"status": "paid"},
        {"order_id": "P000000000000000"},
    ]
)


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class CallbackSequences(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()  # rolled back in teardown: each example starts clean
        cache.clear()
        self.debt = RenovationDebtFactory(amount_rials=4_500_000)
        self.cases = [
            CaseFactory(property=self.debt.property, advanced_to="inspection_approved")
            for _ in range(2)
        ]
        self.browsers = [browser(case.citizen) for case in self.cases]
        self.intruder = browser(UserFactory())
        self.office_paid = False
        self.bank_down = False
        self.real_verify = sandbox.SandboxGateway.verify
        machine = self

        def verify(gateway, *args, **kwargs):
            if machine.bank_down:
                raise GatewayError("bank unreachable")
            return machine.real_verify(gateway, *args, **kwargs)

        sandbox.SandboxGateway.verify = verify

    def teardown(self):
        sandbox.SandboxGateway.verify = self.real_verify
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # --- helpers ---------------------------------------------------------------------

    def attempts(self) -> list[Payment]:
        return list(Payment.objects.exclude(gateway_token="").order_by("pk"))

    def owner_browser(self, payment: Payment) -> Client:
        return self.browsers[[c.pk for c in self.cases].index(payment.case_id)]

    def snapshot(self):
        return (
            list(Payment.objects.order_by("pk").values_list("status", flat=True)),
            RenovationDebt.objects.get(pk=self.debt.pk).status,
            CaseEvent.objects.count(),
        )

    def callback_url(self, params: dict) -> str:
        return f"/payments/callback/?{urlencode(params)}"

    # --- rules -----------------------------------------------------------------------

    @rule(who=st.integers(0, 1))
    def start(self, who):
        cache.clear()  # rate limits are not what this machine explores
        url = f"/payments/start/{self.cases[who].pk}/"
        response = self.browsers[who].post(url, {"next": "/services/"})
        assert response.status_code == 302

    @precondition(lambda self: Payment.objects.exists())
    @rule(index=st.integers(0, 5), decision=DECISIONS)
    def press_at_bank(self, index, decision):
        attempts = self.attempts()
        payment = attempts[index % len(attempts)]
        sandbox.decide(payment.gateway_token, decision)

    @precondition(lambda self: Payment.objects.exists())
    @rule(index=st.integers(0, 5), decision=DECISIONS)
    def owner_returns(self, index, decision):
        """The owner's browser with a correctly signed answer, whatever the bank knows."""
        attempts = self.attempts()
        payment = attempts[index % len(attempts)]
        params = sandbox.bank_decision(payment.gateway_token, decision)
        response = self.owner_browser(payment).get(self.callback_url(params))
        assert response.status_code == 302

    @precondition(lambda self: Payment.objects.exists())
    @rule(index=st.integers(0, 5), decision=DECISIONS, intruder=st.booleans())
    def someone_else_returns(self, index, decision, intruder):
        attempts = self.attempts()
        payment = attempts[index % len(attempts)]
        others = [b for b in self.browsers if b is not self.owner_browser(payment)]
        client = self.intruder if intruder else others[0]
        before = self.snapshot()
        params = sandbox.bank_decision(payment.gateway_token, decision)
        assert client.get(self.callback_url(params)).status_code == 404
        assert self.snapshot() == before

    @precondition(lambda self: Payment.objects.exists())
    @rule(index=st.integers(0, 5), tamper=TAMPERING, decision=DECISIONS)
    def tampered_return(self, index, tamper, decision):
        attempts = self.attempts()
        payment = attempts[index % len(attempts)]
        genuine = sandbox.bank_decision(payment.gateway_token, decision)
        params = genuine | tamper
        if params == genuine:
            return  # the "tampering" changed nothing
        before = self.snapshot()
        assert self.owner_browser(payment).get(self.callback_url(params)).status_code == 400
        assert self.snapshot() == before

    @precondition(lambda self: Payment.objects.exists())
    @rule(index=st.integers(0, 5), decision=DECISIONS, forged=st.booleans())
    def bank_notice(self, index, decision, forged):
        attempts = self.attempts()
        payment = attempts[index % len(attempts)]
        salt = sandbox.CALLBACK_SALT if forged else sandbox.NOTICE_SALT
        params = sandbox.bank_decision(payment.gateway_token, decision, salt=salt)
        before = self.snapshot()
        status = Client().post("/payments/notify/", params).status_code
        if forged:
            assert status == 400 and self.snapshot() == before
        else:
            assert status == 200

    @rule()
    def toggle_bank_reachable(self):
        self.bank_down = not self.bank_down

    @precondition(lambda self: not self.office_paid)
    @rule()
    def paid_at_an_office(self):
        with transaction.atomic():
            debt = RenovationDebt.objects.select_for_update().get(pk=self.debt.pk)
            if debt.status == DebtStatus.OPEN:
                debt.settle(reference="office-1", at=timezone.now())
                debt.save()
                self.office_paid = True

    @rule()
    def reconciliation(self):
        reconcile()

    # --- invariants ------------------------------------------------------------------

    @invariant()
    def settled_at_most_once(self):
        settled = Payment.objects.filter(status=PaymentStatus.SETTLED)
        assert settled.count() <= 1
        assert CaseEvent.objects.filter(name="payment_settled").count() == settled.count()
        debt = RenovationDebt.objects.get(pk=self.debt.pk)
        if settled:
            payment = settled.get()
            assert not self.office_paid
            assert debt.status == DebtStatus.SETTLED
            assert debt.settlement_reference == payment.reference
        else:
            assert (debt.status == DebtStatus.SETTLED) == self.office_paid

    @invariant()
    def only_what_the_bank_was_paid_for(self):
        for payment in Payment.objects.filter(
            status__in=[PaymentStatus.VERIFIED, PaymentStatus.SETTLED]
        ) | Payment.objects.filter(refund_due=True):
            row = SandboxTransaction.objects.get(order_id=payment.order_id)
            assert row.status == BankStatus.PAID and row.verified_at is not None
            assert row.amount_rials == payment.amount_rials == 4_500_000
            assert payment.reference == row.reference

    @invariant()
    def a_debt_has_one_live_attempt(self):
        live = Payment.objects.filter(
            status__in=[PaymentStatus.REDIRECTED, PaymentStatus.RETURNED, PaymentStatus.VERIFIED]
        )
        assert live.count() <= 1


@pytest.mark.django_db
def test_no_callback_sequence_settles_twice_or_unpaid():
    run_state_machine_as_test(
        CallbackSequences,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
