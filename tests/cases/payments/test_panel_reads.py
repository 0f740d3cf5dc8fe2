"""The fees panel's reads, compiled once per process: the same debts and payments as the
ORM's queries they stand for, whoever paid, and one statement each."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from cases.models import DebtStatus, RenovationDebt
from cases.payments import panel, services
from cases.payments.models import Payment, PaymentStatus
from tests.support.factories import CaseFactory, RenovationDebtFactory, UserFactory

pytestmark = pytest.mark.django_db


def _orm_panel_payments(case, debts) -> list[int]:
    mine = Q(case=case, status__in=(PaymentStatus.SETTLED, *panel.CHECKING))
    others = (Q(debt=debts[0], status=PaymentStatus.REDIRECTED) & ~Q(payer_id=case.citizen_id)
              if debts else Q(pk__in=[]))
    return list(Payment.objects.filter(mine | others).order_by("settled_at", "pk")
                .values_list("pk", flat=True))


def _pay(case, debt, payer, status):
    return Payment.objects.create(case=case, debt=debt, payer=payer, amount_rials=1000,
                                  status=status)


def test_the_panel_reads_what_the_orm_reads_for_every_payer_and_state(postgres):
    case = CaseFactory()
    neighbour = CaseFactory(property=case.property)  # another owner's case, same property
    first, second = (RenovationDebtFactory(property=case.property) for _ in range(2))
    settled_elsewhere = RenovationDebtFactory(property=case.property, status=DebtStatus.SETTLED)
    RenovationDebtFactory()  # another property's debt
    _pay(case, first, case.citizen, PaymentStatus.SETTLED)
    _pay(case, first, case.citizen, PaymentStatus.RETURNED)
    _pay(case, second, case.citizen, PaymentStatus.REDIRECTED)  # own attempt at the bank
    _pay(neighbour, first, neighbour.citizen, PaymentStatus.REDIRECTED)  # another payer
    _pay(neighbour, second, neighbour.citizen, PaymentStatus.REDIRECTED)
    _pay(neighbour, first, UserFactory(), PaymentStatus.FAILED)

    debts = services.open_debt_summary(case)
    assert [d.pk for d in debts] == list(
        RenovationDebt.objects.filter(property=case.property, status=DebtStatus.OPEN)
        .order_by("pk").values_list("pk", flat=True)) == [first.pk, second.pk]
    assert settled_elsewhere.pk not in [d.pk for d in debts]
    own = [p.pk for p in Payment.objects.filter(case=case).exclude(
        status=PaymentStatus.REDIRECTED).order_by("pk")]
    neighbours_at_bank = {debt.pk: Payment.objects.get(case=neighbour, debt=debt,
                                                       status=PaymentStatus.REDIRECTED).pk
                          for debt in (first, second)}
    for shown in (debts, debts[1:], []):
        expected = _orm_panel_payments(case, shown)
        read = (panel._PANEL_WITH_DEBT.objects(case.pk, shown[0].pk, case.citizen_id)
                if shown else panel._PANEL.objects(case.pk))
        assert [p.pk for p in read] == expected
        # Own receipts and checks always; another payer's attempt of the first open debt.
        assert set(expected) == set(own) | (
            {neighbours_at_bank[shown[0].pk]} if shown else set())
    context = panel.debt_panel_context(case, "/back/", debts)
    assert context["checking"] is True  # the RETURNED payment is still being checked
    assert panel._PANEL._compiled and panel._PANEL_WITH_DEBT._compiled
    assert services._OPEN_DEBTS._compiled


def test_each_read_is_one_statement_once_compiled(postgres):
    case = CaseFactory()
    debt = RenovationDebtFactory(property=case.property)
    panel.debt_panel_context(case, "/back/")  # compiled with stand-ins, then reused
    with CaptureQueriesContext(connection) as captured:
        context = panel.debt_panel_context(case, "/back/")
    assert [d.pk for d in context["debts"]] == [debt.pk]
    assert len(captured) == 2 and all("%s" not in q["sql"] for q in captured)
