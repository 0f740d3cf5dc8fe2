"""What the dashboards make from the summary's rows, kept until the next summary refresh.

The summary's tables (NodeWaitDay, DailyCount, DistrictLoad, OpenTaskCount) are written
only by `staff.summary.refresh`, and each refresh ends by adding a SummaryRefresh row in the same
transaction: a value made from them is right for as long as that row is the last one, and
needs no dropping — the next refresh is a new key. Merging a month's wait histograms,
summing the open tasks and building the district rows took ~2 ms of each dashboard view,
the same for every view between two refreshes (every STAFF_SUMMARY_REFRESH_SECONDS).

Kept in each worker process (no round trip, nothing to serialise), a few periods at most:
a supervisor who picks other periods makes other keys, the oldest dropped first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

MAX_VALUES = 64

_lock = threading.Lock()
_stamp: tuple | None = None
_values: OrderedDict[Hashable, object] = OrderedDict()


def kept(refresh, key: Hashable, make: Callable[[], T]) -> T:
    """`make()` once per `refresh` (a SummaryRefresh, the last one) and `key`. Without a
    refresh there is nothing to key on: made every time. A value made while a refresh
    commits may be from the newer rows, kept under the older refresh: newer, never staler,
    and dropped as soon as a view reads the newer refresh."""
    global _stamp
    if refresh is None:
        return make()
    # The time too: a test database's rolled-back sequence can give a pk again.
    stamp = (refresh.pk, refresh.refreshed_at)
    with _lock:
        if stamp != _stamp:
            _values.clear()
            _stamp = stamp
        elif key in _values:
            _values.move_to_end(key)
            return _values[key]  # type: ignore[return-value]
    value = make()
    with _lock:
        if stamp == _stamp:
            _values[key] = value
            while len(_values) > MAX_VALUES:
                _values.popitem(last=False)
    return value

