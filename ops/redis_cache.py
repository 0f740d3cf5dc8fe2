"""Django's Redis cache, with one redis-py client per connection pool instead of one per call,
and a cache that is only ever a copy: when Redis cannot be reached the site keeps serving.

Django's RedisCacheClient builds a new `redis.Redis` object for every cache operation
(~55 µs of CPU each: the client sets up its table of reply callbacks), about half of what
a cache read costs; a signed-in page reads its session, the portal settings and cached
fragments this way. A redis-py client holds no connection of its own (the pool does) and
may be shared between threads; Django keeps one cache object per thread anyway.

Nothing this service keeps in the cache is the only copy (sessions and users are in the
database, rate limits have database-held limits behind them: django-axes, the phone-code
limits), so Django's behaviour — every page answering 500 while Redis is away, because the
portal settings, the session and the menu choices are read from it — buys nothing. Here a
read that cannot reach Redis is a miss and a write is dropped (logged); after a failure the
process leaves Redis alone for `RETRY_AFTER_SECONDS` instead of paying a connection
attempt on every call, and the connect/read timeouts (settings) bound a Redis that hangs.
A copy that could not be dropped meanwhile lives out its expiry (the signed-in user: 300 s).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 2.0
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Per process: every thread's cache object shares one view of whether Redis answers.
_down_until = 0.0


def _unreachable_incr(*args, **kwargs):
    # What memcached raises when it cannot count: django-ratelimit reads it as "no count".
    raise ValueError("the cache is unreachable")


def _degrades(fallback: Callable) -> Callable:
    """The client operation, or `fallback(*args)` when Redis is unreachable."""
    def decorate(operation: Callable) -> Callable:
        @wraps(operation)
        def guarded(self, *args, **kwargs):
            global _down_until
            if time.monotonic() < _down_until:
                return fallback(*args, **kwargs)
            try:
                return operation(self, *args, **kwargs)
            except _UNREACHABLE:
                _down_until = time.monotonic() + RETRY_AFTER_SECONDS
                log.warning("cache_unavailable", exc_info=True,
                            extra={"retry_after_seconds": RETRY_AFTER_SECONDS})
                return fallback(*args, **kwargs)
        return guarded
    return decorate


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write: bool = False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._pools.get(index) or self._get_pool_at(index)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client

    add = _degrades(lambda *a, **k: False)(DjangoRedisCacheClient.add)
    get = _degrades(lambda key, default: default)(DjangoRedisCacheClient.get)
    set = _degrades(lambda *a, **k: None)(DjangoRedisCacheClient.set)
    touch = _degrades(lambda *a, **k: False)(DjangoRedisCacheClient.touch)
    delete = _degrades(lambda *a, **k: False)(DjangoRedisCacheClient.delete)
    get_many = _degrades(lambda *a, **k: {})(DjangoRedisCacheClient.get_many)
    has_key = _degrades(lambda *a, **k: False)(DjangoRedisCacheClient.has_key)
    incr = _degrades(_unreachable_incr)(DjangoRedisCacheClient.incr)
    set_many = _degrades(lambda data, timeout: list(data))(DjangoRedisCacheClient.set_many)
    delete_many = _degrades(lambda *a, **k: None)(DjangoRedisCacheClient.delete_many)
    clear = _degrades(lambda *a, **k: False)(DjangoRedisCacheClient.clear)

    def _get_pool_at(self, index: int):
        if index not in self._pools:
            self._pools[index] = self._pool_class.from_url(
                self._servers[index], **self._pool_options)
        return self._pools[index]


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
