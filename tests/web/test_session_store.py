"""Sessions in Redis are a copy: when Redis cannot be reached the database answers."""

from __future__ import annotations

import logging
import socket

import pytest
from django.test import Client

from tests.support.factories import UserFactory

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
