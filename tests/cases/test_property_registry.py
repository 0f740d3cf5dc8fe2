"""The pairing rules of DESIGN.md's demo properties A–D, through the registry interface."""

import pytest

from integrations.registry.base import PairingProblem
from integrations.registry.loader import get_registry

pytestmark = pytest.mark.django_db

A = ("12-345-67-8-0-0-12", "1403-12-000123")
B = ("3-114-25-1-0-0-5", "1404-03-004567")
C = ("7-220-9-3-0-0-2", "1404-07-000890")


@pytest.mark.parametrize("code, number", [A, B, C])
def test_each_property_pairs_with_its_own_request_number(demo, code, number):
    check = get_registry().check_pairing(code, number)
    assert check.ok
    assert check.property.renovation_code == code
    assert check.property.address and check.property.registry_plate and check.property.owner_names


def test_property_d_code_of_a_with_number_of_b_is_refused(demo):
    check = get_registry().check_pairing(A[0], B[1])
    assert not check.ok
    assert check.problem is PairingProblem.NUMBER_OF_ANOTHER_PROPERTY
    assert check.property is None


def test_unknown_code_and_unknown_number_are_told_apart(demo):
    registry = get_registry()
    assert registry.check_pairing("9-9-9-9-9-9-9", A[1]).problem is PairingProblem.UNKNOWN_CODE
    assert registry.check_pairing(A[0], "1403-12-999999").problem is PairingProblem.UNKNOWN_NUMBER


def test_certificate_number_pairs_like_a_request_number(demo):
    assert get_registry().check_pairing(A[0], "12-1403-7781").ok


def test_latest_certificate_a_and_b_have_one_c_has_none(demo):
    registry = get_registry()
    assert registry.latest_certificate(A[0]).request_number == A[1]
    assert registry.latest_certificate(B[0]).certificate_number == "3-1404-2290"
    assert registry.latest_certificate(C[0]) is None


def test_latest_certificate_is_the_newest_of_several(db):
    from tests.support.factories import PropertyFactory, RegistryRecordFactory

    prop = PropertyFactory()
    older = RegistryRecordFactory(property=prop, with_certificate=True)
    newer = RegistryRecordFactory(property=prop, with_certificate=True)
    newer.certificate_issued_on = older.certificate_issued_on.replace(year=2025)
    newer.save()
    RegistryRecordFactory(property=prop)  # answered, no certificate
    latest = get_registry().latest_certificate(prop.renovation_code)
    assert latest.certificate_number == newer.certificate_number


def test_only_b_owes_renovation_fees(demo):
    registry = get_registry()
    debts = registry.open_debts(B[0])
    assert [d.amount_rials for d in debts] == [4_500_000]
    assert registry.open_debts(A[0]) == [] and registry.open_debts(C[0]) == []


def test_a_settled_debt_is_no_longer_open(demo):
    from django.utils import timezone

    from cases.models import RenovationDebt

    debt = RenovationDebt.objects.get(property__renovation_code=B[0])
    debt.settle(reference="PAY-1", at=timezone.now())
    debt.save()
    assert get_registry().open_debts(B[0]) == []
