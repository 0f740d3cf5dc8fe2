"""HttpRegistry against the fake city registry: answers, 404s, failures and timeouts."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from integrations.registry.base import Debt, PairingProblem, RegistryUnavailable
from integrations.registry.http import HttpRegistry

from .conftest import CERTIFICATE, CODE, NUMBER, OTHER_CODE, OTHER_NUMBER


@pytest.fixture
def client(city_registry) -> HttpRegistry:
    return HttpRegistry()


def test_a_property_is_read_into_the_interfaces_dataclass(client):
    info = client.find_property(CODE)
    assert info.renovation_code == CODE and info.district == 12
    assert info.area_m2 == "73.40" and info.owner_names == ("نرگس صالحی", "بهرام صالحی")


def test_404_is_no_property_no_certificate_and_no_debts(client, city_registry):
    unknown = "12-1-1-1-0-0-1"
    assert client.find_property(unknown) is None
    assert client.latest_certificate(unknown) is None
    assert client.open_debts(unknown) == []
    del city_registry.certificates[CODE]
    assert client.latest_certificate(CODE) is None


def test_pairing_answers_and_an_unknown_code(client):
    assert client.check_pairing(CODE, NUMBER).property.renovation_code == CODE
    assert client.check_pairing(CODE, CERTIFICATE).ok
    assert client.check_pairing(CODE, "1404-01-000001").problem is PairingProblem.UNKNOWN_NUMBER
    assert client.check_pairing(CODE, OTHER_NUMBER).problem is PairingProblem.NUMBER_OF_ANOTHER_PROPERTY
    unknown = client.check_pairing("12-1-1-1-0-0-1", NUMBER)
    assert unknown.problem is PairingProblem.UNKNOWN_CODE and unknown.property is None
    assert client.check_pairing(OTHER_CODE, OTHER_NUMBER).ok


def test_the_latest_certificate_and_open_debts(client, city_registry):
    certificate = client.latest_certificate(CODE)
    assert certificate.certificate_number == CERTIFICATE
    assert certificate.issued_on == datetime.date(2025, 8, 11)
    city_registry.debts[CODE] = [{"id": 77, "title": "عوارض نوسازی", "amount_rials": 900_000}]
    assert client.open_debts(CODE) == [Debt(id="77", title="عوارض نوسازی", amount_rials=900_000)]


def test_the_token_is_sent_as_a_bearer_and_paths_are_under_the_base_url(client, city_registry):
    client.find_property(CODE)
    authorization, path = city_registry.seen[-1]
    assert authorization == "Bearer city-registry-token"
    assert path == f"/registry/v1/properties/{CODE}"


def test_a_wrong_token_is_a_failure_not_a_missing_property(city_registry):
    with pytest.raises(RegistryUnavailable, match="HTTP 401"):
        HttpRegistry(token="wrong").find_property(CODE)


def test_a_passing_server_error_is_retried(client, city_registry):
    city_registry.failures = [503, 502]
    assert client.find_property(CODE).renovation_code == CODE
    assert len(city_registry.seen) == 3


def test_a_lasting_server_error_is_registry_unavailable(client, city_registry):
    city_registry.failures = [503, 503, 503]
    with pytest.raises(RegistryUnavailable, match="HTTP 503"):
        client.check_pairing(CODE, NUMBER)
    city_registry.failures = [500]  # not a passing condition: not retried
    with pytest.raises(RegistryUnavailable, match="HTTP 500"):
        client.find_property(CODE)
    assert len(city_registry.seen) == 4


def test_a_slow_registry_times_out(city_registry):
    city_registry.delay = 0.5
    with pytest.raises(RegistryUnavailable, match="Timeout"):
        HttpRegistry(timeout=0.1, retries=0).find_property(CODE)


def test_an_unreachable_registry_is_registry_unavailable():
    # Port 9 (discard) on the loopback: nothing listens, the connection is refused.
    with pytest.raises(RegistryUnavailable, match="ConnectionError"):
        HttpRegistry(base_url="http://127.0.0.1:9/", token="", retries=0).find_property(CODE)


def test_a_malformed_answer_is_registry_unavailable(client, city_registry):
    del city_registry.properties[CODE]["address"]
    with pytest.raises(RegistryUnavailable, match="malformed"):
        client.find_property(CODE)


def test_without_a_url_the_backend_refuses_to_start(settings):
    settings.PROPERTY_REGISTRY_URL = ""
    with pytest.raises(ImproperlyConfigured):
        HttpRegistry()
