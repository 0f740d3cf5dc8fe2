"""The client's address behind a proxy (ops/client_address.py), as every per-address limit
sees it: django-ratelimit, django-axes, the verification look-ups and the phone codes.

The proxy is simulated the way a real one arrives at Django: REMOTE_ADDR is the proxy's
own address and X-Forwarded-For carries what each proxy appended.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory

from cases.phone_codes.models import PhoneVerification
from ops.client_address import client_address
from tests.support.factories import PASSWORD, UserFactory
from tests.support.transfer_driver import CitizenDriver

pytestmark = pytest.mark.django_db
PROXY = "172.18.0.5"  # what gunicorn sees behind the proxy: the same for every citizen
CITIZEN_A, CITIZEN_B = "198.51.100.7", "203.0.113.44"


def through_proxy(address: str, forwarded: str | None = None) -> Client:
    """A client whose requests arrive from the proxy, which names `address` as its client."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded or address)


def address_of(remote: str, forwarded: str | None = None, **extra: str) -> str:
    meta = {"REMOTE_ADDR": remote, **extra}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


# ---------------------------------------------------------------- the helper


def test_by_default_no_proxy_is_trusted():
    assert django_settings.TRUSTED_PROXY_COUNT == 0  # the safe default: no proxy
    assert address_of("192.0.2.10", "198.51.100.1") == "192.0.2.10"


def test_one_proxy_the_last_entry_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert address_of(PROXY, CITIZEN_A) == CITIZEN_A
    # A client's own X-Forwarded-For is kept by the proxy, which appends the real address:
    # the forged entries are to the left and never taken.
    assert address_of(PROXY, f"10.9.9.9, 127.0.0.1, {CITIZEN_A}") == CITIZEN_A


def test_two_proxies_count_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    # HTTPS proxy appended the citizen; the compose proxy appended the HTTPS proxy.
    assert address_of(PROXY, f"6.6.6.6, {CITIZEN_A}, 10.0.0.2") == CITIZEN_A
    # Too few entries: the request did not pass both proxies; no entry is believed.
    assert address_of(PROXY, CITIZEN_A) == PROXY


def test_a_malformed_entry_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert address_of(PROXY, "not-an-address") == PROXY
    assert address_of(PROXY, "") == PROXY
    assert address_of(PROXY, f"{CITIZEN_A}:51234") == CITIZEN_A
    assert address_of(PROXY, "[2001:db8::7]:443") == "2001:db8::7"


def test_another_header_can_be_named(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    assert address_of(PROXY, "6.6.6.6", HTTP_X_REAL_IP=CITIZEN_B) == CITIZEN_B


def test_every_per_address_limit_asks_the_helper():
    assert django_settings.RATELIMIT_IP_META_KEY == "ops.client_address.client_address"
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "ops.client_address.client_address"


# ---------------------------------------------------------------- the limits behind a proxy


def test_two_citizens_behind_the_proxy_have_separate_rate_limits(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {"verify:page": ("ip", "2/h", None)}
    first, second = through_proxy(CITIZEN_A), through_proxy(CITIZEN_B)
    assert [first.get("/verify/").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/verify/").status_code == 200


def test_without_a_configured_proxy_a_forged_header_does_not_escape_the_limit(settings):
    settings.RATE_LIMITS = {"verify:page": ("ip", "2/h", None)}
    statuses = [Client(REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
                .get("/verify/").status_code for i in range(3)]
    assert statuses == [200, 200, 429]


def test_the_login_lockout_locks_one_citizen_not_everyone_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="attacked")
    UserFactory(username="neighbour")
    attacker = through_proxy(CITIZEN_A)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/accounts/login/", {"username": "attacked", "password": "wrong"})
    # The attacker's (username, address) pair is locked out…
    locked = attacker.post("/accounts/login/", {"username": "attacked", "password": PASSWORD})
    assert locked.status_code == 429
    # …and the attacked citizen through the same proxy, from their own address, logs in.
    attacked = through_proxy(CITIZEN_B)
    assert attacked.post("/accounts/login/", {"username": "attacked", "password": PASSWORD}
                         ).status_code == 302
    # A neighbour behind the attacker's own address is not locked out either.
    neighbour = through_proxy(CITIZEN_A)
    assert neighbour.post("/accounts/login/", {"username": "neighbour", "password": PASSWORD}
                          ).status_code == 302


def test_without_a_configured_proxy_a_forged_header_does_not_escape_the_lockout(settings):
    UserFactory(username="attacked")
    for i in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="192.0.2.51", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").post(
            "/accounts/login/", {"username": "attacked", "password": "wrong"})
    forged = Client(REMOTE_ADDR="192.0.2.51", HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert forged.post("/accounts/login/", {"username": "attacked", "password": PASSWORD}
                       ).status_code == 429


def test_certificate_lookups_are_counted_per_citizen_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.VERIFY_LOOKUPS_PER_WINDOW = 2
    settings.RATE_LIMITS = {}
    query = {"t": "1234567890", "c": "00000000"}
    first = through_proxy(CITIZEN_A)
    assert [first.get("/verify/", query).status_code for _ in range(3)] == [404, 404, 429]
    body = {"tracking_number": "1234567890", "verification_code": "00000000"}
    assert first.post("/api/v1/verify", body, content_type="application/json"
                      ).status_code == 429  # the page and the API share the allowance
    second = through_proxy(CITIZEN_B)
    assert second.get("/verify/", query).status_code == 404
    assert second.post("/api/v1/verify", body, content_type="application/json"
                       ).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_phone_code_request_records_the_citizen_behind_the_proxy(demo, settings):
    from django.contrib.auth import get_user_model

    from tests.support.stack import ask_for_code

    settings.TRUSTED_PROXY_COUNT = 1
    client = through_proxy(CITIZEN_A, f"10.6.6.6, {CITIZEN_A}")
    client.force_login(get_user_model().objects.get(username="citizen"))
    response = ask_for_code(CitizenDriver(client), "09121112233")
    assert response.status_code == 200, response.content[:500]
    assert list(PhoneVerification.objects.values_list("client_address", flat=True)) == [
        CITIZEN_A]
