"""Digits typed in Persian, Arabic-Indic or Latin are accepted alike."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.support.pages import Page
from tests.support.transfer_driver import A, CitizenDriver

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def valid_national_id(first9: str) -> str:
    total = sum(int(d) * (10 - i) for i, d in enumerate(first9)) % 11
    return first9 + str(total if total < 2 else 11 - total)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("digits", [None, PERSIAN, ARABIC_INDIC], ids=["latin", "persian", "arabic-indic"])
def test_property_search_accepts_every_digit_system(demo, client, digits):
    client.force_login(get_user_model().objects.get(username="citizen"))
    driver = CitizenDriver(client)
    r = driver.step(driver.open_services(), "گام بعدی", {"تأیید": True})
    code, number = (A[0].translate(digits), A[1].translate(digits)) if digits else A
    r = driver.step(r, "جستجو", {"کدنوسازی": code, "شماره درخواست یا گواهی": number}, expect=(200,))
    assert Page.of(r).has("مطابقت دارد"), Page.of(r).text[:600]


@pytest.mark.django_db
@pytest.mark.parametrize("digits", [PERSIAN, ARABIC_INDIC], ids=["persian", "arabic-indic"])
def test_registration_accepts_non_latin_digits(client, digits):
    national_id = valid_national_id("001234567")
    response = client.post("/accounts/register/", {
        "first_name": "مریم", "last_name": "احمدی", "national_id": national_id.translate(digits),
        "mobile": "09123456789".translate(digits), "username": "maryam",
        "password1": "a-long-pass-1405", "password2": "a-long-pass-1405",
    })
    assert response.status_code == 302, Page.of(response).text[:800]
    user = get_user_model().objects.get(username="maryam")
    assert user.national_id == national_id and user.mobile.endswith("9123456789")
