"""The Redis cache the settings choose: Django's, with one redis-py client kept per pool."""

from __future__ import annotations

import os
import socket

import pytest
from django.core.cache import caches

from tests.support.services import require_service

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_cache(settings):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        reachable = True
    except OSError:
        reachable = False
    require_service("Redis", reachable, "nothing answers on 127.0.0.1:6379")
    settings.CACHES = {**settings.CACHES, "shared": {
        "BACKEND": "ops.redis_cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/9",
        # Per process: two test runs on one machine share the Redis server.
        "KEY_PREFIX": f"redis-cache-test-{os.getpid()}"}}
    cache = caches["shared"]
    cache.clear()
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
