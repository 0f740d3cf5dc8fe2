"""A citizen (`owner`) with a `case` whose inspection was approved and whose property owes a
`debt`, and their browser. A module that wants them imports them by name, so no other module's
`case` is ever this one by accident."""

from __future__ import annotations

import pytest

from tests.support.factories import CaseFactory, RenovationDebtFactory, UserFactory
from tests.support.payments import citizen_client


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def debt(db):
    return RenovationDebtFactory(amount_rials=4_500_000)


@pytest.fixture
def case(owner, debt):
    return CaseFactory(citizen=owner, property=debt.property, advanced_to="inspection_approved")


@pytest.fixture
def client_of_owner(owner):
    return citizen_client(owner)
