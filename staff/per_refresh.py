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

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, TypeVar

from staff.lru import LockedLRU

if TYPE_CHECKING:
    from staff.models import SummaryRefresh

T = TypeVar("T")

MAX_VALUES = 64

_values: LockedLRU[object] = LockedLRU(MAX_VALUES)
_MISSING = object()


def kept(refresh: SummaryRefresh | None, key: Hashable, make: Callable[[], T]) -> T:
    """`make()` once per `refresh` (a SummaryRefresh, the last one) and `key`. Without a
    refresh there is nothing to key on: made every time. A value made while a refresh
    commits may be from the newer rows, kept under the older refresh: newer, never staler,
    and never read again once a view reads the newer refresh (its key is another)."""
    if refresh is None:
        return make()
    # The time too: a test database's rolled-back sequence can give a pk again.
    full_key = (refresh.pk, refresh.refreshed_at, key)
    value = _values.get(full_key, _MISSING)
    if value is _MISSING:
        value = make()
        _values.put(full_key, value)
    return value  # type: ignore[return-value]
