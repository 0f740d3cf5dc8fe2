"""The appointment step's verified mobile, kept through the domain; the phone-code app's
label, kept from its first installation."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from cases.drafts import keep_contact_phone
from tests.support.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_the_verified_mobile_is_kept_in_its_normal_form():
    case = CaseFactory(contact_phone="")
    keep_contact_phone(case, "۰۹۱۲ ۳۴۵ ۶۷۸۹")
    case.refresh_from_db()
    assert case.contact_phone == "09123456789"


def test_a_number_that_is_not_a_mobile_is_not_kept():
    case = CaseFactory(contact_phone="09120000001")
    with pytest.raises(ValidationError):
        keep_contact_phone(case, "021-1234")
    case.refresh_from_db()
    assert case.contact_phone == "09120000001"


def test_phone_codes_keep_the_label_their_tables_and_migrations_are_recorded_under():
    config = apps.get_app_config("verification")
    assert config.name == "cases.phone_codes"
    assert config.get_model("PhoneVerification")._meta.db_table == "verification_phoneverification"
