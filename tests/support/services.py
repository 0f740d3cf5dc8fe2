"""Real services a test needs (PostgreSQL, Redis, Chromium, clamd …): skip or fail loudly."""

from __future__ import annotations

import os
import socket

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def require_service(name: str, available: bool, why: str) -> None:
    """Skip loudly where a real service is missing; fail instead under REQUIRE_SERVICES=1."""
    if available:
        return
    message = f"{name} is not available: {why}"
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {message}", pytrace=False)
    pytest.skip(f"SKIPPED LOUDLY — {message}")


REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1):
            return True
    except OSError:
        return False


def use_redis_cache(settings, alias: str, prefix: str, *, db: int = 9,
                    backend: str = "ops.redis_cache.RedisCache"):
    """The cache `alias` on the real Redis (skip or fail loudly without one), emptied.
    Keys carry `prefix` and this process's id: two test runs on one machine share Redis."""
    require_service("Redis", redis_reachable(), f"nothing answers on {REDIS_HOST}:{REDIS_PORT}")
    settings.CACHES = {**settings.CACHES, alias: {
        "BACKEND": backend,
        "LOCATION": f"redis://{REDIS_HOST}:{REDIS_PORT}/{db}",
        "KEY_PREFIX": f"{prefix}-{os.getpid()}"}}
    from django.core.cache import caches

    cache = caches[alias]
    cache.clear()
    return cache


def use_redis_sessions(settings, prefix: str):
    """Production's arrangement (config/settings/database.py with REDIS_URL): the default
    cache on the real Redis, sessions read from it, the signed-in person's row kept there."""
    cache = use_redis_cache(settings, "default", prefix)
    settings.SESSION_ENGINE = "web.session_store"
    settings.AUTH_USER_CACHE_SECONDS = 300
    return cache
