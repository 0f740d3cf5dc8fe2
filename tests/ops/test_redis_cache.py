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
