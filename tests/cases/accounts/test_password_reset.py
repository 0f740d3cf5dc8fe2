"""«فراموشی رمز عبور» (cases/accounts/password_reset.py): a stranger learns nothing of who
has an account; the code flow works end to end; the limits hold; a reset signs out the
account's other sessions and voids its known devices."""

from __future__ import annotations

import re
import statistics
import time

import pytest
from django.test import Client

from cases.accounts import devices
from cases.phone_codes.models import PhoneVerification
from integrations.sms.models import OutboxMessage
from tests.support.factories import PASSWORD, UserFactory
from tests.support.pages import Page
from tests.support.services import use_redis_cache

pytestmark = pytest.mark.django_db

START, CODE, NEW = "/accounts/password/reset/", "/accounts/password/reset/code/", \
    "/accounts/password/reset/new/"
NEW_PASSWORD = "Spring-in-Tabriz-1405"
# Headers that differ between any two responses, whoever asks.
VOLATILE = {"Date", "X-Request-ID", "Set-Cookie"}


@pytest.fixture(autouse=True)
def shared_cache(settings):
    cache = use_redis_cache(settings, "default", "reset-test", db=7,
                            backend="django.core.cache.backends.redis.RedisCache")
    yield cache
    cache.clear()


@pytest.fixture
def maryam():
    return UserFactory(username="maryam", mobile="09123330001")


def at(address: str = "203.0.113.80") -> Client:
    return Client(REMOTE_ADDR=address)


def code_sent_to(phone: str) -> str:
    message = OutboxMessage.objects.filter(to=phone, kind="verification_code").first()
    return re.search(r"#([0-9]{6})$", message.body).group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def ask(client: Client, identifier: str):
    return client.post(START, {"identifier": identifier})


def answer(response) -> dict:
    """What a stranger can compare: status, headers (but per-request ones), cookies set."""
    headers = {k: v for k, v in response.items() if k not in VOLATILE}
    return {"status": response.status_code, "headers": headers,
            "cookies": sorted(response.cookies)}


def page_text(client: Client) -> str:
    return Page.of(client.get(CODE)).text


# ----------------------------------------------------------------- nothing to learn

def test_known_and_unknown_accounts_get_the_same_answer(maryam):
    UserFactory(username="unproven", mobile="09123330002", verified_mobile="")
    identifiers = {
        "a known mobile": "09123330001", "a known username": "maryam",
        "an unknown mobile": "09123339999", "an unknown username": "nobody-here",
        "an account whose mobile is unproven": "unproven", "its unproven mobile": "09123330002",
        "not a mobile nor a username": "+98-abc",
    }
    answers, texts = {}, {}
    for name, identifier in identifiers.items():
        client = at()
        answers[name] = answer(ask(client, identifier))
        texts[name] = page_text(client)
    first = answers["a known mobile"]
    assert first["status"] == 302 and first["headers"]["Location"] == CODE
    for name in identifiers:
        assert answers[name] == first, name
        assert texts[name] == texts["a known mobile"], name
    assert "اگر حسابی با این مشخصات" in texts["a known mobile"]
    # Only maryam's verified mobile was texted (twice: by number and by username).
    assert set(OutboxMessage.objects.values_list("to", flat=True)) == {"09123330001"}


def test_wrong_codes_are_refused_alike_for_known_and_unknown(maryam, settings):
    known, unknown = at(), at("203.0.113.81")
    ask(known, "maryam")
    ask(unknown, "nobody-here")
    code = code_sent_to("09123330001")
    for _ in range(settings.PHONE_CODE_MAX_ATTEMPTS + 1):
        replies = [c.post(CODE, {"action": "check_code", "code": wrong(code)})
                   for c in (known, unknown)]
        assert answer(replies[0]) == answer(replies[1])
        assert Page.of(replies[0]).text == Page.of(replies[1]).text
    assert Page.of(replies[0]).has("کد تازه بگیرید")
    # Resending answers alike too.
    resent = [answer(c.post(CODE, {"action": "send_code"})) for c in (known, unknown)]
    assert resent[0] == resent[1]


def test_the_answers_take_the_same_order_of_time(maryam):
    def timed(identifier: str, address: str) -> float:
        client = at(address)
        began = time.perf_counter()
        ask(client, identifier)
        return time.perf_counter() - began

    ask(at("203.0.113.90"), "nobody")  # warm up
    known = statistics.median(timed("maryam", f"203.0.114.{n}") for n in range(5))
    unknown = statistics.median(timed("nobody-here", f"203.0.115.{n}") for n in range(5))
    assert max(known, unknown) / min(known, unknown) < 10, (known, unknown)


# --------------------------------------------------------------- the flow end to end

def test_a_reset_by_mobile_sets_a_new_password_and_signs_in(maryam):
    elsewhere = at("203.0.113.82")  # maryam signed in on another device, which she left
    assert elsewhere.post("/accounts/login/", {"username": "maryam", "password": PASSWORD}
                          ).status_code == 302
    device_cookie = elsewhere.cookies[devices.COOKIE].value

    client = at()
    ask(client, "۰۹۱۲ ۳۳۳ ۰۰۰۱")  # Persian digits and spaces
    code = code_sent_to("09123330001")
    row = PhoneVerification.objects.get(purpose="reset")
    assert row.user is None and row.phone == "09123330001" and code not in row.code_hash
    assert client.get(NEW)["Location"] == START  # not before the code
    assert client.post(CODE, {"action": "check_code", "code": code})["Location"] == NEW

    page = Page.of(client.get(NEW))
    assert not page.has("حساب کاربری")  # one account on this phone: nothing to choose
    weak = client.post(NEW, {"password1": "1234567890", "password2": "1234567890"})
    assert weak.status_code == 200
    mismatch = client.post(NEW, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert Page.of(mismatch).has("دو کلمه عبور یکسان نیستند")
    done = client.post(NEW, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/services/"
    assert client.session["_auth_user_id"] == str(maryam.pk)
    maryam.refresh_from_db()
    assert maryam.check_password(NEW_PASSWORD) and not maryam.check_password(PASSWORD)

    # The other session is over, and that browser is no known device any more.
    assert elsewhere.get("/services/").status_code == 302
    assert "_auth_user_id" not in elsewhere.session
    assert devices.device_id(_request_with(device_cookie), maryam) is None
    # The code and the reset are used up.
    assert client.get(NEW)["Location"] == START
    assert at("203.0.113.83").post(CODE, {"action": "check_code", "code": code}
                                   )["Location"] == START


def _request_with(cookie_value: str):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.COOKIES[devices.COOKIE] = cookie_value
    return request


def test_a_phone_shared_by_a_family_lets_its_holder_choose_the_account(maryam):
    UserFactory(username="reza", mobile="09123330001")
    client = at()
    ask(client, "09123330001")
    client.post(CODE, {"action": "check_code", "code": code_sent_to("09123330001")})
    page = Page.of(client.get(NEW))
    assert page.has("maryam") and page.has("reza")
    missing = client.post(NEW, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert Page.of(missing).has("حسابی را که رمز آن را تازه می‌کنید انتخاب کنید")
    reza = maryam.__class__.objects.get(username="reza")
    client.post(NEW, {"account": str(reza.pk), "password1": NEW_PASSWORD,
                      "password2": NEW_PASSWORD})
    reza.refresh_from_db()
    maryam.refresh_from_db()
    assert reza.check_password(NEW_PASSWORD) and maryam.check_password(PASSWORD)


def test_a_reset_lifts_the_lockout_for_its_owner(maryam, settings):
    nat = "198.51.100.9"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        at(nat).post("/accounts/login/", {"username": "maryam", "password": "guess"})
    client = at(nat)
    ask(client, "maryam")
    client.post(CODE, {"action": "check_code", "code": code_sent_to("09123330001")})
    done = client.post(NEW, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and client.session["_auth_user_id"] == str(maryam.pk)


# ---------------------------------------------------------------------------- limits

def test_the_reset_sms_is_capped_per_phone_without_saying_so(maryam, settings):
    settings.PHONE_CODE_RESEND_SECONDS = 0
    first = None
    for n in range(settings.PHONE_CODE_SENDS_PER_PHONE_PER_HOUR + 2):
        reply = answer(ask(at(f"203.0.116.{n}"), "maryam"))
        first = first or reply
        assert reply == first
    assert OutboxMessage.objects.filter(to="09123330001").count() == \
        settings.PHONE_CODE_SENDS_PER_PHONE_PER_HOUR


def test_the_reset_sms_is_capped_per_address(settings):
    settings.PHONE_CODE_SENDS_PER_ADDRESS_PER_HOUR = 3
    for n in range(5):
        UserFactory(username=f"neighbour{n}", mobile=f"0912444000{n}")
        ask(at("203.0.113.84"), f"neighbour{n}")
    assert OutboxMessage.objects.count() == 3


def test_reset_requests_are_rate_limited_per_address_with_retry_after(settings, maryam):
    settings.RATE_LIMITS = {"accounts:password_reset": ("ip", "3/h", "POST")}
    client = at("203.0.113.85")
    for identifier in ("maryam", "nobody", "09123339999"):
        assert ask(client, identifier).status_code == 302
    refused = ask(client, "nobody")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert re.search(r"[۰-۹]+ دقیقه دیگر", Page.of(refused).text)


def test_the_request_form_says_what_is_missing(client):
    page = Page.of(client.post(START, {"identifier": "  "}))
    assert page.has("شماره همراه یا نام کاربری را وارد کنید")
    assert client.get(CODE)["Location"] == START


def test_the_login_page_offers_the_reset(client):
    login = Page.of(client.get("/accounts/login/"))
    assert login.link("فراموشی رمز عبور") == START
    form = Page.of(client.get(START)).form_with_button("دریافت کد تایید")
    assert "شماره همراه یا نام کاربری" in " ".join(form.labels)
