"""Sessions in Redis are a copy: when Redis cannot be reached the database answers."""

from __future__ import annotations

import logging
import socket

import pytest
from django.test import Client

from tests.support.factories import UserFactory
from tests.support.services import use_redis_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_session_cache(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    settings.CACHES = {**settings.CACHES, "sessions": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{dead_port}/0"}}
    settings.SESSION_CACHE_ALIAS = "sessions"
    settings.SESSION_ENGINE = "web.session_store"


def test_a_signed_in_person_is_served_and_can_log_out_while_redis_is_down(
        unreachable_session_cache, caplog):
    client = Client()
    client.force_login(UserFactory())
    with caplog.at_level(logging.WARNING, logger="web.session_store"):
        assert client.get("/services/").status_code == 200
    assert "session_cache_unavailable" in caplog.text
    old_cookie = client.cookies["sessionid"].value
    assert client.post("/accounts/logout/").status_code == 302
    stranger = Client()
    stranger.cookies["sessionid"] = old_cookie
    assert stranger.get("/services/").status_code == 302  # to the login page


@pytest.fixture
def sessions_and_users_in_redis(settings):
    cache = use_redis_sessions(settings, "session-owner")
    yield cache
    cache.clear()


@pytest.fixture
def cache_reads(monkeypatch):
    """Each read the cache client makes: ("get", key) or ("get_many", keys)."""
    from ops.redis_cache import RedisCacheClient

    reads = []
    real_get, real_get_many = RedisCacheClient.get, RedisCacheClient.get_many
    monkeypatch.setattr(RedisCacheClient, "get", lambda self, key, default: (
        reads.append(("get", key)), real_get(self, key, default))[1])
    monkeypatch.setattr(RedisCacheClient, "get_many", lambda self, keys: (
        reads.append(("get_many", list(keys))), real_get_many(self, keys))[1])
    return reads


@pytest.mark.redis
def test_the_session_and_its_owner_are_one_round_trip(sessions_and_users_in_redis,
                                                      cache_reads):
    client = Client()
    client.force_login(UserFactory())
    client.get("/services/")  # the first read learns whose the session is
    cache_reads.clear()
    assert client.get("/services/").status_code == 200
    assert [kind for kind, _ in cache_reads] == ["get_many"]
    assert len(cache_reads[0][1]) == 2


@pytest.mark.redis
def test_a_wrong_owner_hint_costs_a_read_and_shows_the_right_person(
        sessions_and_users_in_redis, cache_reads):
    from web import session_store

    citizen, other = UserFactory(first_name="Citizen"), UserFactory(first_name="Other")
    client = Client()
    client.force_login(citizen)
    client.get("/services/")
    other_client = Client()
    other_client.force_login(other)
    other_client.get("/services/")  # the other person's row is kept in Redis too
    session_store._owner_hints[client.cookies["sessionid"].value] = str(other.pk)
    cache_reads.clear()
    response = client.get("/services/")
    assert response.wsgi_request.user.pk == citizen.pk
    assert "Citizen" in response.content.decode() and "Other" not in response.content.decode()
    assert [kind for kind, _ in cache_reads] == ["get_many", "get"]
