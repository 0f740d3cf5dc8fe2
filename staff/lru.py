"""A small least-recently-used map shared by a worker's threads.

functools.lru_cache keys on a function's arguments and cannot be told what to drop; the
staff pages keep values under keys they compute (a summary refresh and a period, a list's
shape) and drop them when what they were made from changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class LockedLRU(Generic[V]):
    """At most `size` values; reading one makes it the most recent, adding one beyond the
    size drops the least recent. Each call holds the lock briefly: making a value is the
    caller's, outside it (two threads may make the same value; the last one kept)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: object = None) -> V | object:
        with self._lock:
            if key not in self._values:
                return default
            self._values.move_to_end(key)
            return self._values[key]

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._values)
