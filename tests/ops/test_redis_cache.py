"""The Redis cache the settings choose: Django's, with one redis-py client kept per pool."""

from __future__ import annotations


import pytest

from tests.support.services import use_redis_cache

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_cache(settings):
    cache = use_redis_cache(settings, "shared", "redis-cache-test")
    yield cache
    cache.clear()


def test_it_stores_reads_counts_and_forgets(redis_cache):
    redis_cache.set("phone", {"digits": "09120000000"}, 60)
    assert redis_cache.get("phone") == {"digits": "09120000000"}
    assert redis_cache.add("tries", 1, 60) and redis_cache.incr("tries") == 2
    assert redis_cache.get_many(["phone", "tries"]) == {
        "phone": {"digits": "09120000000"}, "tries": 2}
    redis_cache.delete("phone")
    assert redis_cache.get("phone") is None


def test_one_client_serves_every_call(redis_cache):
    backend = redis_cache._cache
    assert backend.get_client() is backend.get_client(write=True)
    redis_cache.get("anything")
    assert len(backend._clients) == 1


@pytest.fixture
def unreachable(settings, monkeypatch):
    """The default cache pointed at a port nothing listens on, the breaker closed."""
    import socket

    from ops import redis_cache

    with socket.socket() as probe:  # a free port, then closed: connections are refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "ops.redis_cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/1",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}}}
    monkeypatch.setattr(redis_cache, "_down_until", 0.0)
    from django.core.cache import caches

    return caches["default"]


@pytest.mark.django_db
@pytest.mark.parametrize("username, path", [
    (None, "/"), (None, "/accounts/login/"), ("citizen", "/services/"),
    ("supervisor", "/staff/search/"), ("supervisor", "/staff/dashboard/transfer/"),
])
def test_pages_are_served_while_redis_is_away(demo, unreachable, username, path):
    from django.test import Client

    from tests.support.clients import logged_in

    client = logged_in(username) if username else Client()
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_a_login_goes_through_while_the_rate_limit_cannot_count(demo, unreachable):
    from django.test import Client

    from cases.demo.data import DEMO_PASSWORD

    response = Client().post("/accounts/login/", {"username": "citizen", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_reads_miss_writes_drop_and_the_breaker_spares_further_attempts(
        unreachable, monkeypatch, caplog):
    from ops import redis_cache

    assert unreachable.get("phone", "missing") == "missing"
    assert "cache_unavailable" in caplog.text
    attempts = []
    original = redis_cache.RedisCacheClient.get_client
    monkeypatch.setattr(redis_cache.RedisCacheClient, "get_client",
                        lambda self, *a, **k: attempts.append(1) or original(self, *a, **k))
    assert unreachable.add("tries", 1, 60) is False
    with pytest.raises(ValueError):
        unreachable.incr("tries")
    unreachable.set("phone", "x", 60)
    assert unreachable.get_many(["a", "b"]) == {}
    assert attempts == []  # within RETRY_AFTER_SECONDS nothing dials Redis
    monkeypatch.setattr(redis_cache, "_down_until", 0.0)
    assert unreachable.get("phone") is None
    assert attempts == [1]  # after the pause, one attempt, refused again
