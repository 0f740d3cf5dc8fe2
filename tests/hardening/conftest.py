import contextlib

import pytest
from django.core.cache import caches


def _clear_caches() -> None:
    for cache in caches.all(initialized_only=True):
        # A test may configure an unreachable cache on purpose (the outage test).
        with contextlib.suppress(Exception):
            cache.clear()


@pytest.fixture(autouse=True)
def _empty_rate_limit_counters():
    """Every test starts with no request counted (the counters live in the cache)."""
    _clear_caches()
    yield
    _clear_caches()
