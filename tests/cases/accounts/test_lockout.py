"""Login lockout by account and address together, known devices, and the SMS code an
account under attack asks of new devices (cases/accounts/lockout.py, devices.py,
signin.py). On the shared cache (Redis) as in production, and the database's lockout rows.
"""

from __future__ import annotations

import datetime
import math
import re

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from cases.accounts import devices
from cases.persian import fold_digits
from cases.phone_codes.models import PhoneVerification
from integrations.sms.models import OutboxMessage
from tests.support.factories import PASSWORD, UserFactory
from tests.support.pages import Page
from tests.support.services import use_redis_cache

pytestmark = pytest.mark.django_db

NAT = "198.51.100.7"  # one carrier-grade NAT address: the attacker and the innocent
MINUTES = re.compile(r"([0-9]+) دقیقه دیگر")


@pytest.fixture(autouse=True)
def shared_cache(settings):
    cache = use_redis_cache(settings, "default", "lockout-test", db=6,
                            backend="django.core.cache.backends.redis.RedisCache")
    yield cache
    cache.clear()


def at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def log_in(client: Client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def guess(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        assert log_in(client, username, "not-the-password").status_code in (200, 429)


def minutes_on_page(response) -> int:
    return int(MINUTES.search(fold_digits(Page.of(response).text)).group(1))


def signed_in(client: Client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def code_sent_to(phone: str) -> str:
    message = OutboxMessage.objects.filter(to=phone, kind="verification_code").first()
    return re.search(r"#([0-9]{6})$", message.body).group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


# ------------------------------------------------------------ (username, address) pairs

def test_guesses_lock_only_their_target_not_the_neighbour_behind_the_same_address(settings):
    target, neighbour = UserFactory(username="target"), UserFactory(username="neighbour")
    attacker = at(NAT)
    guess(attacker, "target", settings.AXES_FAILURE_LIMIT)

    locked = log_in(at(NAT), "target")  # even the right password, from that address
    assert locked.status_code == 429
    assert Page.of(locked).has("ورود موقتاً مسدود است")
    assert not signed_in(attacker, target)

    innocent = at(NAT)
    assert log_in(innocent, "neighbour").status_code == 302
    assert signed_in(innocent, neighbour)
    # The attacker's own browser is not locked out of other accounts either: the pair is.
    assert log_in(attacker, "neighbour").status_code == 302
    # And the target from any other address gets in.
    elsewhere = at("203.0.113.20")
    assert log_in(elsewhere, "target").status_code == 302
    assert signed_in(elsewhere, target)


def test_the_lockout_says_when_and_sends_the_same_wait_as_retry_after(settings):
    UserFactory(username="target")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        guess(at(NAT), "target", settings.AXES_FAILURE_LIMIT)
        locked = log_in(at(NAT), "target")
        cool_off = int(settings.AXES_COOLOFF_TIME * 3600)
        assert int(locked["Retry-After"]) == cool_off
        assert minutes_on_page(locked) == math.ceil(int(locked["Retry-After"]) / 60) == 15
        assert "۱۵ دقیقه دیگر" in Page.of(locked).text  # Persian digits on the page

        clock.move_to(start + datetime.timedelta(minutes=10, seconds=30))
        later = log_in(at(NAT), "target")  # refused without moving the lock on
        assert later.status_code == 429
        assert int(later["Retry-After"]) == cool_off - 630
        assert minutes_on_page(later) == 5

        clock.move_to(start + datetime.timedelta(seconds=cool_off + 1))
        assert log_in(at(NAT), "target").status_code == 302


def test_the_failure_that_reaches_the_limit_is_answered_with_the_lockout_page(settings):
    UserFactory(username="target")
    client = at(NAT)
    guess(client, "target", settings.AXES_FAILURE_LIMIT - 1)
    reached = log_in(client, "target", "still-wrong")
    assert reached.status_code == 429
    assert int(reached["Retry-After"]) > 0
    assert minutes_on_page(reached) == math.ceil(int(reached["Retry-After"]) / 60)


# ------------------------------------------------------------------- known devices

def test_a_browser_that_signed_in_before_still_gets_in_while_its_pair_is_locked(settings):
    target = UserFactory(username="target")
    owner = at(NAT)
    first = log_in(owner, "target")
    assert first.status_code == 302
    cookie = first.cookies[devices.COOKIE]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"
    assert str(target.pk) in cookie.value and PASSWORD not in cookie.value
    owner.post("/accounts/logout/")

    guess(at(NAT), "target", settings.AXES_FAILURE_LIMIT)
    assert log_in(at(NAT), "target").status_code == 429  # a new browser: locked
    assert log_in(owner, "target").status_code == 302  # the owner's browser: known
    assert signed_in(owner, target)


def test_a_known_device_guessing_wrong_loses_its_exemption(settings):
    UserFactory(username="target")
    shared_pc = at(NAT)
    assert log_in(shared_pc, "target").status_code == 302
    shared_pc.post("/accounts/logout/")
    guess(shared_pc, "target", settings.AXES_FAILURE_LIMIT)  # uncounted by the pair…
    assert log_in(shared_pc, "target", "wrong-again").status_code == 200
    # …but counted against the device: it is an ordinary browser now, and the pair's own
    # count (which the device's failures did not feed) starts from here.
    guess(shared_pc, "target", settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(shared_pc, "target").status_code == 429


def test_a_new_password_voids_the_known_devices(settings):
    target = UserFactory(username="target")
    owner = at(NAT)
    assert log_in(owner, "target").status_code == 302
    owner.post("/accounts/logout/")
    target.set_password("a-New-pass-1405")
    target.save()
    guess(at(NAT), "target", settings.AXES_FAILURE_LIMIT)
    assert log_in(owner, "target", "a-New-pass-1405").status_code == 429


def test_a_forged_or_foreign_device_cookie_is_no_exemption(settings):
    UserFactory(username="target")
    other = UserFactory(username="other")
    mine = at(NAT)
    assert log_in(mine, "other").status_code == 302  # a device of `other`, not of target
    mine.post("/accounts/logout/")
    guess(at(NAT), "target", settings.AXES_FAILURE_LIMIT)
    assert log_in(mine, "target").status_code == 429
    forged = at(NAT)
    forged.cookies[devices.COOKIE] = f"{other.pk + 1}:eyJkIjoieCJ9:forged:sig"
    assert log_in(forged, "target").status_code == 429


# ------------------------------------------- many addresses: the account asks for a code

def spread_guesses(username: str, total: int, per_address: int) -> None:
    """`total` wrong passwords from enough addresses that no pair reaches its lock."""
    for n in range(math.ceil(total / per_address)):
        guess(at(f"10.9.{n}.1"), username, min(per_address, total - n * per_address))


def test_an_account_guessed_from_many_addresses_needs_an_sms_code(settings):
    # Its mobile never proven: the code goes to the number given at registration.
    target = UserFactory(username="target", mobile="09121112233", verified_mobile="")
    spread_guesses("target", settings.LOGIN_SMS_CODE_AFTER_FAILURES,
                   settings.AXES_FAILURE_LIMIT - 1)

    browser = at("203.0.113.50")
    step = log_in(browser, "target")
    assert step.status_code == 302 and step["Location"] == "/accounts/login/code/"
    assert not signed_in(browser, target)
    page = Page.of(browser.get("/accounts/login/code/"))
    assert page.has("۰۹۱۲•••۲۲۳۳") and not page.has("۰۹۱۲۱۱۱۲۲۳۳")  # masked
    code = code_sent_to("09121112233")

    # Codes are kept hashed, never as sent.
    row = PhoneVerification.objects.get(user=target)
    assert row.purpose == "login" and code not in str(PhoneVerification.objects.values().get())

    refused = browser.post("/accounts/login/code/", {"action": "check_code", "code": wrong(code)})
    assert refused.status_code == 200
    assert Page.of(refused).has("کد تاییدیه درست نیست")
    assert not signed_in(browser, target)
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    done = browser.post("/accounts/login/code/", {"action": "check_code", "code": persian})
    assert done.status_code == 302 and done["Location"] == "/services/"
    assert signed_in(browser, target)
    target.refresh_from_db()
    assert target.mobile_is_verified  # the code proved the number: no second step
    # The used code opens nothing again.
    again = at("203.0.113.51")
    log_in(again, "target")
    assert again.post("/accounts/login/code/", {"action": "check_code", "code": code}
                      ).status_code == 200
    assert not signed_in(again, target)


def test_below_the_threshold_the_password_is_enough(settings):
    target = UserFactory(username="target")
    spread_guesses("target", settings.LOGIN_SMS_CODE_AFTER_FAILURES - 1,
                   settings.AXES_FAILURE_LIMIT - 1)
    browser = at("203.0.113.52")
    assert log_in(browser, "target")["Location"] == "/services/"
    assert signed_in(browser, target)


def test_the_code_step_allows_a_few_tries_then_wants_a_new_code(settings):
    UserFactory(username="target", mobile="09121112234")
    spread_guesses("target", settings.LOGIN_SMS_CODE_AFTER_FAILURES, 4)
    browser = at("203.0.113.53")
    log_in(browser, "target")
    code = code_sent_to("09121112234")
    for _ in range(settings.PHONE_CODE_MAX_ATTEMPTS):
        browser.post("/accounts/login/code/", {"action": "check_code", "code": wrong(code)})
    late = browser.post("/accounts/login/code/", {"action": "check_code", "code": code})
    assert Page.of(late).has("کد تازه بگیرید")
    assert "_auth_user_id" not in browser.session


def test_resending_too_soon_is_429_with_retry_after_and_the_wait_in_persian(settings):
    UserFactory(username="target", mobile="09121112235")
    spread_guesses("target", settings.LOGIN_SMS_CODE_AFTER_FAILURES, 4)
    browser = at("203.0.113.54")
    log_in(browser, "target")
    refused = browser.post("/accounts/login/code/", {"action": "send_code"})
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 0 < wait <= settings.PHONE_CODE_RESEND_SECONDS
    assert f"{wait} ثانیه صبر کنید" in fold_digits(Page.of(refused).text)


def test_a_known_device_skips_the_code_step(settings):
    target = UserFactory(username="target")
    owner = at("203.0.113.55")
    assert log_in(owner, "target").status_code == 302
    owner.post("/accounts/logout/")
    spread_guesses("target", settings.LOGIN_SMS_CODE_AFTER_FAILURES, 4)
    assert log_in(owner, "target")["Location"] == "/services/"
    assert signed_in(owner, target)


def test_an_account_without_a_mobile_waits_for_the_window_to_pass(settings):
    UserFactory(username="staffer", staff=True, roles=["inspector"])
    spread_guesses("staffer", settings.LOGIN_SMS_CODE_AFTER_FAILURES, 4)
    refused = log_in(at("203.0.113.56"), "staffer")
    assert refused.status_code == 429
    assert minutes_on_page(refused) == math.ceil(int(refused["Retry-After"]) / 60)
    assert Page.of(refused).has("شماره همراهی ندارد")


def test_the_admins_login_page_refuses_what_needs_the_code_step(settings):
    UserFactory(username="clerk1", staff=True, roles=["clerk"], is_staff=True,
                mobile="09121112236")
    spread_guesses("clerk1", settings.LOGIN_SMS_CODE_AFTER_FAILURES, 4)
    refused = at("203.0.113.57").post(
        "/admin/login/", {"username": "clerk1", "password": PASSWORD})
    assert refused.status_code == 200
    assert Page.of(refused).has("به کد پیامکی نیاز دارد")


def test_the_login_code_page_without_a_password_first_goes_back_to_login():
    response = Client().get("/accounts/login/code/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert Client().post("/accounts/login/code/", {"action": "send_code"}
                         )["Location"] == "/accounts/login/"
    assert not OutboxMessage.objects.exists()


def test_the_per_address_login_rate_is_generous_enough_for_a_carrier_nat():
    key, rate, methods = django_settings.RATE_LIMITS["accounts:login"]
    count, period = rate.split("/")
    assert key == "ip" and period == "m" and int(count) >= 100
