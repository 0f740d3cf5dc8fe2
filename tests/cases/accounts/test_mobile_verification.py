"""A citizen's mobile is proven by an SMS code: at registration, and at the next login of
an account whose mobile never was (cases/accounts/signin.py, code_views.py)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cases.identity import make_valid_national_id
from cases.phone_codes.models import PhoneVerification
from integrations.sms.models import OutboxMessage
from tests.support.factories import PASSWORD, UserFactory
from tests.support.pages import Page

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/login/mobile/"


def code_sent_to(phone: str) -> str:
    message = OutboxMessage.objects.filter(to=phone, kind="verification_code").first()
    return re.search(r"#([0-9]{6})$", message.body).group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def register(client: Client, mobile: str = "09125551234"):
    return client.post("/accounts/register/", {
        "first_name": "نرگس", "last_name": "کاظمی",
        "national_id": make_valid_national_id("123456789"), "mobile": mobile,
        "username": "narges", "password1": "Tehran-spring-1405",
        "password2": "Tehran-spring-1405",
    })


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_registration_signs_in_only_once_the_mobile_is_proven(client):
    response = register(client)
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert not signed_in(client)
    user = get_user_model().objects.get(username="narges")
    assert not user.mobile_is_verified
    page = Page.of(client.get(VERIFY))
    assert page.has("کد تایید به شماره ۰۹۱۲۵۵۵۱۲۳۴ فرستاده شد")
    assert 'value="09125551234"' in page.html  # the number given, offered again
    code = code_sent_to("09125551234")
    assert PhoneVerification.objects.get(user=user).purpose == "mobile"
    # Other pages are not open yet.
    assert client.get("/services/").status_code == 302

    refused = client.post(VERIFY, {"action": "check_code", "mobile": "09125551234",
                                   "code": wrong(code)})
    assert refused.status_code == 200 and Page.of(refused).has("کد تاییدیه درست نیست")
    assert not signed_in(client)
    done = client.post(VERIFY, {"action": "check_code", "mobile": "۰۹۱۲ ۵۵۵ ۱۲۳۴",
                                "code": code})
    assert done.status_code == 302 and done["Location"] == "/services/"
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.mobile_is_verified and user.verified_mobile == "09125551234"


def test_a_mistyped_number_is_corrected_on_the_verification_page(client):
    register(client, mobile="09125550000")  # a digit wrong: the code goes nowhere useful
    sent = client.post(VERIFY, {"action": "send_code", "mobile": "09125551234"})
    assert sent.status_code == 302
    assert Page.of(client.get(VERIFY)).has("کد تایید به شماره ۰۹۱۲۵۵۵۱۲۳۴ فرستاده شد")
    done = client.post(VERIFY, {"action": "check_code", "mobile": "09125551234",
                                "code": code_sent_to("09125551234")})
    assert done.status_code == 302
    user = get_user_model().objects.get(username="narges")
    assert (user.mobile, user.verified_mobile) == ("09125551234", "09125551234")


def test_the_verification_form_says_what_is_missing(client):
    register(client)
    page = Page.of(client.post(VERIFY, {"action": "check_code", "mobile": "", "code": ""}))
    assert page.has("شماره همراه را وارد کنید") and page.has("کد تایید پیامک‌شده را وارد کنید")
    page = Page.of(client.post(VERIFY, {"action": "check_code", "mobile": "0912555123",
                                        "code": "12ab"}))
    assert page.has("شماره همراه معتبر نیست") and page.has("کد تایید باید ۶ رقم باشد")


def test_resending_too_soon_is_429_with_retry_after(client, settings):
    register(client)
    refused = client.post(VERIFY, {"action": "send_code", "mobile": "09125551234"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= settings.PHONE_CODE_RESEND_SECONDS


def test_an_account_whose_mobile_was_never_proven_verifies_it_at_its_next_login(client):
    user = UserFactory(username="old-timer", mobile="09127770000", verified_mobile="")
    response = client.post("/accounts/login/?next=/services/requests/",
                           {"username": "old-timer", "password": PASSWORD,
                            "next": "/services/requests/"})
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert not signed_in(client)
    page = Page.of(client.get(VERIFY))
    assert page.has("شماره همراه خود را با کد پیامکی تایید کنید")
    assert not OutboxMessage.objects.exists()  # nothing is sent before it is asked for

    assert client.post(VERIFY, {"action": "send_code", "mobile": "09127770000"}
                       ).status_code == 302
    done = client.post(VERIFY, {"action": "check_code", "mobile": "09127770000",
                                "code": code_sent_to("09127770000")})
    assert done["Location"] == "/services/requests/"  # where the login was going
    assert client.session["_auth_user_id"] == str(user.pk)

    client.post("/accounts/logout/")
    again = client.post("/accounts/login/", {"username": "old-timer", "password": PASSWORD})
    assert again["Location"] == "/services/"  # proven once: no step any more


def test_staff_accounts_are_not_asked_for_a_mobile(client):
    UserFactory(username="inspector9", staff=True, roles=["inspector"])
    response = client.post("/accounts/login/", {"username": "inspector9",
                                                "password": PASSWORD})
    assert response["Location"] == "/staff/visits/"


def test_a_changed_mobile_is_no_longer_verified():
    user = UserFactory(mobile="09120000001")
    assert user.mobile_is_verified
    user.mobile = "09120000002"
    assert not user.mobile_is_verified


def test_the_verification_page_without_a_password_first_goes_back_to_login(client):
    response = client.get(VERIFY)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.post(VERIFY, {"action": "send_code", "mobile": "09125551234"}
                       )["Location"] == "/accounts/login/"
    assert not OutboxMessage.objects.exists()
