"""Rate limits by URL name (web/ratelimits.py, settings.RATE_LIMITS)."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import Client

from web.ratelimits import MSG_LIMITED, parse_rules
from tests.support.factories import PASSWORD, UserFactory
from tests.support.services import use_redis_cache
from tests.support.urlconf_walk import leaf_patterns

pytestmark = pytest.mark.django_db
LIMITED_TEXT = "تعداد درخواست‌ها از حد مجاز گذشته است"


def at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def with_rule(settings, name: str, rule: tuple) -> None:
    settings.RATE_LIMITS = {name: rule}


def test_every_configured_rule_names_a_real_url():
    """A renamed URL would silently lose its limit; this catches it."""
    names = {leaf.name for leaf in leaf_patterns()}
    for rule in parse_rules(django_settings.RATE_LIMITS):
        assert rule.view_name in names, rule.view_name


def test_the_issues_pages_are_all_limited_by_default():
    limited = {rule.view_name + (f"[{rule.action}]" if rule.action else "")
               for rule in parse_rules(django_settings.RATE_LIMITS)}
    assert {
        "accounts:login", "admin:login", "accounts:register", "transfer:appointment:execute[send_code]",
        "transfer:appointment:execute[check_code]", "staff:search", "verify:page",
        "verify_api:verify_document", "payments:start",
    } <= limited


def test_login_posts_are_limited_by_address_with_a_persian_429(settings):
    with_rule(settings, "accounts:login", ("ip", "3/h", "POST"))
    UserFactory(username="maryam")
    client = at("10.1.1.1")
    for _ in range(3):
        assert client.post("/accounts/login/", {"username": "x", "password": "y"}
                           ).status_code == 200
    refused = client.post("/accounts/login/", {"username": "maryam", "password": PASSWORD})
    assert refused.status_code == 429
    assert LIMITED_TEXT in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/login/").status_code == 200  # only POSTs count
    # Another address has its own allowance.
    other = at("10.1.1.2")
    assert other.post("/accounts/login/", {"username": "maryam", "password": PASSWORD}
                      ).status_code == 302


def test_the_admins_login_is_limited_too(settings):
    with_rule(settings, "admin:login", ("ip", "2/h", "POST"))
    client = at("10.1.1.10")
    for _ in range(2):
        assert client.post("/admin/login/", {"username": "x", "password": "y"}
                           ).status_code == 200
    refused = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert refused.status_code == 429
    assert LIMITED_TEXT in refused.content.decode()
    assert at("10.1.1.11").post("/admin/login/", {"username": "x", "password": "y"}
                                ).status_code == 200


def test_axes_lockout_still_applies_under_the_rate_limit(settings):
    UserFactory(username="maryam")
    client = at("10.1.1.3")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/accounts/login/", {"username": "maryam", "password": "bad"}
                           ).status_code == 200
    # The failure that reaches the limit is answered by django-axes' own lockout page.
    assert client.post("/accounts/login/", {"username": "maryam", "password": "bad"}
                       ).status_code == 429
    locked = client.post("/accounts/login/", {"username": "maryam", "password": PASSWORD})
    assert locked.status_code == 429
    assert "ورود موقتاً مسدود است" in locked.content.decode()


def test_registration_is_limited(settings):
    with_rule(settings, "accounts:register", ("ip", "2/h", "POST"))
    client = at("10.1.1.4")
    for _ in range(2):
        assert client.post("/accounts/register/", {}).status_code == 200  # form errors
    assert client.post("/accounts/register/", {}).status_code == 429


def test_code_sending_and_checking_are_limited_by_the_wizards_button(settings):
    settings.RATE_LIMITS = {
        "transfer:appointment:execute[send_code]": ("ip", "2/h", "POST"),
        "transfer:appointment:execute[check_code]": ("ip", "3/h", "POST"),
    }
    client = at("10.1.1.5")
    client.force_login(UserFactory())
    url = "/flows/transfer/987654/appointment/987654/execute/"
    for _ in range(2):
        assert client.post(url, {"action": "send_code"}).status_code != 429
    assert client.post(url, {"action": "send_code"}).status_code == 429
    # Checking has its own allowance, and other buttons are not counted at all.
    for _ in range(3):
        assert client.post(url, {"action": "check_code"}).status_code != 429
    assert client.post(url, {"action": "check_code"}).status_code == 429
    for _ in range(5):
        assert client.post(url, {"action": "forward"}).status_code != 429


def test_the_verification_page_and_api_are_limited(settings):
    settings.RATE_LIMITS = {"verify:page": ("ip", "2/h", None),
                            "verify_api:verify_document": ("ip", "2/h", None)}
    client = at("10.1.1.6")
    for _ in range(2):
        assert client.get("/verify/").status_code == 200
    assert client.get("/verify/").status_code == 429
    body = {"tracking_number": "1234567890", "verification_code": "00000000"}
    for _ in range(2):
        assert client.post("/api/v1/verify", body, content_type="application/json"
                           ).status_code != 429
    refused = client.post("/api/v1/verify", body, content_type="application/json")
    assert refused.status_code == 429
    assert refused.json() == {"code": "too_many_requests", "detail": MSG_LIMITED}


def test_payment_start_is_limited_per_citizen(settings):
    with_rule(settings, "payments:start", ("user_or_ip", "2/h", "POST"))
    first, second = UserFactory(), UserFactory()
    client = at("10.1.1.7")
    client.force_login(first)
    for _ in range(2):
        assert client.post("/payments/start/987654/").status_code == 404
    assert client.post("/payments/start/987654/").status_code == 429
    client.force_login(second)  # the same address, another citizen
    assert client.post("/payments/start/987654/").status_code == 404


def test_staff_search_is_limited(settings):
    with_rule(settings, "staff:search", ("user_or_ip", "2/h", None))
    client = at("10.1.1.8")
    client.force_login(UserFactory(staff=True, roles=["supervisor"]))
    for _ in range(2):
        assert client.get("/staff/search/", {"q": "1"}).status_code != 429
    assert client.get("/staff/search/", {"q": "1"}).status_code == 429


def test_a_cache_outage_lets_requests_through_and_is_logged(settings, caplog):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    settings.CACHES = {**settings.CACHES, "broken": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{dead_port}/0"}}
    settings.RATELIMIT_USE_CACHE = "broken"
    with_rule(settings, "verify:page", ("ip", "1/h", None))
    with caplog.at_level(logging.ERROR, logger="web.ratelimits"):
        for _ in range(3):
            assert at("10.1.1.9").get("/verify/").status_code == 200
    assert "rate_limit_cache_unavailable" in caplog.text


@pytest.mark.redis
def test_counters_are_shared_through_redis(settings):
    shared = use_redis_cache(settings, "shared", "ratelimit-test", db=5,
                             backend="django.core.cache.backends.redis.RedisCache")
    settings.RATELIMIT_USE_CACHE = "shared"
    with_rule(settings, "verify:page", ("ip", "2/h", None))
    # Two clients stand for two web processes: the count is Redis's, not theirs.
    assert at("10.2.2.2").get("/verify/").status_code == 200
    assert at("10.2.2.2").get("/verify/").status_code == 200
    assert at("10.2.2.2").get("/verify/").status_code == 429
    shared.clear()


def test_settings_choose_redis_when_redis_url_is_set():
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/5",
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; "
         "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])"],
        env=env, capture_output=True, text=True, check=True, cwd=django_settings.BASE_DIR,
    ).stdout.split()
    assert out == ["ops.redis_cache.RedisCache", "redis://127.0.0.1:6379/5"]


def test_rules_are_found_by_view_name_a_flow_version_sharing_its_services(settings):
    from web.ratelimits import RateLimitMiddleware

    settings.RATE_LIMITS = {"transfer:appointment:execute[send_code]": ("ip", "1/m", "POST"),
                            "accounts:login": ("ip", "1/m", "POST")}
    middleware = RateLimitMiddleware(lambda request: None)
    name, rules = middleware.rules_for("transfer_v2:appointment:execute")
    assert name == "transfer:appointment:execute"
    assert [rule.action for rule in rules] == ["send_code"]
    assert middleware.rules_for("portal:home") == ("portal:home", ())
    # A replaced dict is read again.
    settings.RATE_LIMITS = {"portal:home": ("ip", "1/m", None)}
    assert [rule.group for rule in middleware.rules_for("portal:home")[1]] == ["url:portal:home"]
    assert middleware.rules_for("accounts:login")[1] == ()
