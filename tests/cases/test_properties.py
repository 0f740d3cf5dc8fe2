"""The local copy of the registry's answers (cases/properties.py): the property row keyed
by its renovation code, the debts keyed by the registry's ids."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import DebtStatus, District, Property, RenovationDebt
from cases.properties import keep_debts, keep_property, refresh_debts
from integrations.registry.base import Debt, PropertyInfo
from tests.support.factories import CaseFactory, PropertyFactory, RenovationDebtFactory

pytestmark = pytest.mark.django_db

INFO = PropertyInfo(
    renovation_code="21-40-2-6-0-0-3", district=21, address="خیابان نیایش، پلاک ۵",
    registry_plate="۳۳۰/۸", area_m2="91.25", floor="۴", unit="۸",
    owner_names=("سمیرا یگانه", "کاوه یگانه"),
)
FEES = Debt(id="R-17", title="عوارض نوسازی", amount_rials=1_500_000)
PENALTY = Debt(id="R-18", title="جریمه دیرکرد", amount_rials=300_000)


def test_a_property_the_registry_describes_gets_a_local_row_and_its_district():
    prop = keep_property(INFO)
    assert prop.renovation_code == INFO.renovation_code and prop.district_id == 21
    assert prop.area_m2 == Decimal("91.25") and prop.owners == INFO.owner_names
    assert District.objects.filter(number=21).exists()


def test_the_row_follows_what_the_registry_says_now():
    keep_property(INFO)
    moved = PropertyInfo(**{**INFO.__dict__, "address": "خیابان نیایش، پلاک ۷",
                            "owner_names": ("کاوه یگانه",)})
    prop = keep_property(moved)
    prop.refresh_from_db()
    assert prop.address == "خیابان نیایش، پلاک ۷" and prop.owners == ("کاوه یگانه",)
    assert Property.objects.filter(renovation_code=INFO.renovation_code).count() == 1


def test_an_unchanged_answer_writes_nothing(django_assert_num_queries):
    prop = PropertyFactory(owner_names="الف\nب")
    same = PropertyInfo(
        renovation_code=prop.renovation_code, district=prop.district_id, address=prop.address,
        registry_plate=prop.registry_plate, area_m2="75.0", floor=prop.floor, unit=prop.unit,
        owner_names=("الف", "ب"),
    )
    with django_assert_num_queries(1):  # the look-up, no UPDATE
        assert keep_property(same).pk == prop.pk


def copies(prop) -> dict:
    return {d.registry_id: (d.title, d.amount_rials, d.status)
            for d in RenovationDebt.objects.filter(property=prop)}


def test_each_listed_debt_gets_one_copy_however_often_it_is_listed():
    prop = keep_property(INFO)
    keep_debts(prop, [FEES, PENALTY])
    keep_debts(prop, [FEES, PENALTY])
    assert copies(prop) == {"R-17": ("عوارض نوسازی", 1_500_000, DebtStatus.OPEN),
                            "R-18": ("جریمه دیرکرد", 300_000, DebtStatus.OPEN)}


def test_a_debt_paid_here_stays_paid_while_the_registry_still_lists_it():
    prop = keep_property(INFO)
    keep_debts(prop, [FEES])
    paid = RenovationDebt.objects.get(property=prop, registry_id="R-17")
    paid.settle(reference="PAY-9", at=timezone.now())
    paid.save()
    keep_debts(prop, [FEES])
    assert copies(prop) == {"R-17": ("عوارض نوسازی", 1_500_000, DebtStatus.SETTLED)}


def test_a_debt_the_registry_no_longer_lists_was_paid_elsewhere_and_an_amount_follows():
    prop = keep_property(INFO)
    keep_debts(prop, [FEES, PENALTY])
    keep_debts(prop, [Debt(id="R-17", title="عوارض نوسازی", amount_rials=1_650_000)])
    assert copies(prop) == {"R-17": ("عوارض نوسازی", 1_650_000, DebtStatus.OPEN),
                            "R-18": ("جریمه دیرکرد", 300_000, DebtStatus.SETTLED)}


def test_with_the_database_registry_its_own_debts_are_left_as_they_are():
    debt = RenovationDebtFactory(amount_rials=4_500_000)
    case = CaseFactory(property=debt.property)
    refresh_debts(case)
    assert copies(debt.property) == {"": ("عوارض نوسازی", 4_500_000, DebtStatus.OPEN)}


@pytest.mark.django_db
def test_a_district_name_is_kept_with_persian_digits():
    from cases.models import District

    district, _ = District.objects.update_or_create(number=12, defaults={"name": "منطقه 12"})
    district.refresh_from_db()
    assert district.name == "منطقه ۱۲"
