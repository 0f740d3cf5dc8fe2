"""The writes a citizen's wizard steps make on their draft (cases/drafts.py)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from cases.drafts import choose_property, keep_letter, start_draft
from cases.models import Case, CaseStatus, ServiceKind
from tests.support.transfer_driver import A, B

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(demo) -> Case:
    return start_draft(ServiceKind.TRANSFER, get_user_model().objects.get(username="citizen"))


def test_a_draft_has_no_tracking_number_and_no_property(draft):
    assert draft.status == CaseStatus.DRAFT and draft.tracking_number is None
    assert draft.property_id is None


def test_a_pairing_the_registry_confirms_is_kept(draft):
    assert choose_property(draft, A[0], A[1]).ok
    draft.refresh_from_db()
    assert draft.property.renovation_code == A[0] and draft.request_number == A[1]


def test_a_refused_search_forgets_the_property_found_before(draft):
    choose_property(draft, A[0], A[1])
    check = choose_property(draft, A[0], B[1])  # A's code with B's number
    assert not check.ok
    draft.refresh_from_db()
    assert draft.property_id is None and draft.request_number == ""


def test_the_letter_keeps_what_it_is_given_and_nothing_else(draft):
    keep_letter(draft, letter_number="۱۲۳/۴", letter_date=datetime.date(2026, 11, 11))
    draft.refresh_from_db()
    assert (draft.letter_number, draft.letter_date) == ("۱۲۳/۴", datetime.date(2026, 11, 11))
    assert draft.letter_institution == ""
    with pytest.raises(ValueError):
        keep_letter(draft, status="registered")
