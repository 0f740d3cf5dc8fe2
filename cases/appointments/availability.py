"""Which inspection times a district can offer, and the calendar the citizen picks from."""

import datetime
import functools
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from cases.display import jalali
from cases.models import Case, Holiday, InspectionSlot
from cases.persian import to_persian_digits
from cases.prepared import PreparedRead

from .models import Appointment

# Python's weekday(): Thursday and Friday are the Iranian weekend.
WEEKEND = {3, 4}
CALENDAR_HOURS = range(9, 14)  # the working day's visit hours: 09:00 … 13:00
DEFAULT_DAYS = 14
# The holidays as every calendar page reads them, kept in the shared cache and dropped
# when a clerk adds, edits or removes one (connect_holidays); with a per-process cache
# another process sees a change within HOLIDAYS_SECONDS.
HOLIDAYS_KEY = "appointments:holidays"
HOLIDAYS_SECONDS = 3600


def tehran() -> datetime.tzinfo:
    return timezone.get_default_timezone()


def _window_end(now: datetime.datetime, days: int) -> datetime.datetime:
    end = timezone.localdate(now, tehran()) + datetime.timedelta(days=days)
    return datetime.datetime.combine(end, datetime.time(), tehran())


def serving_slots(district: int) -> QuerySet[InspectionSlot]:
    """Every slot of an active inspector who serves the district."""
    return InspectionSlot.objects.filter(
        inspector__inspector_profile__districts=district, inspector__is_active=True
    )


def _unoccupied_in_window(
    district: int, now: datetime.datetime, end: datetime.datetime, case_id: int | None = None
) -> QuerySet[InspectionSlot]:
    """The district's slots in the window that no live appointment occupies at `now`.

    `NOT EXISTS`, an anti-join probing each slot's appointments: a `NOT IN` of the live
    appointments, hashed once, was 4× cheaper on the bench's small calendar but read all
    45,000 booked visits at a million cases (20 ms against 3)."""
    occupying = Appointment.objects.occupying(now).filter(slot=OuterRef("pk"))
    if case_id is not None:
        # The case's own hold is still a free choice for that case.
        occupying = occupying.exclude(case_id=case_id)
    return (serving_slots(district).filter(starts_at__gt=now, starts_at__lt=end)
            .exclude(Exists(occupying)))


def _unoccupied_hours(district, now, end, case_id=None) -> QuerySet:
    # The closed days are left out by free_times, in Python: in the SQL, each slot's local
    # date and week day computed for the holiday and weekend tests cost the database's
    # CPU 1.7 → 1.5 ms per calendar page on the bench's data, 5.2 → 2.9 ms at a million
    # cases (docs/developers/performance.md).
    return (_unoccupied_in_window(district, now, end, case_id).order_by("starts_at")
            .values_list("starts_at").distinct())


# Every appointment page asks for these: compiled once per process (cases/prepared.py).
_STAND_INS = (-30_001, datetime.datetime(1901, 1, 1, tzinfo=datetime.timezone.utc),
              datetime.datetime(1902, 2, 2, tzinfo=datetime.timezone.utc))
_UNOCCUPIED_HOURS = PreparedRead(_unoccupied_hours, *_STAND_INS)
_UNOCCUPIED_HOURS_BUT_CASE = PreparedRead(_unoccupied_hours, *_STAND_INS, -7_000_002)


def free_times(
    district: int,
    now: datetime.datetime | None = None,
    days: int = DEFAULT_DAYS,
    case: Case | None = None,
    holidays: frozenset[datetime.date] | None = None,
) -> list[datetime.datetime]:
    """The distinct hours at which at least one inspector of the district is free, on
    working days (`holidays`: the holiday dates, when the caller has read them)."""
    now = now or timezone.now()
    end = _window_end(now, days)
    if case is None:
        rows = _UNOCCUPIED_HOURS.rows(district, now, end)
    else:
        rows = _UNOCCUPIED_HOURS_BUT_CASE.rows(district, now, end, case.pk)
    holidays = holiday_dates() if holidays is None else holidays
    zone = tehran()
    return [starts_at for (starts_at,) in rows
            if not closed_reason(starts_at.astimezone(zone).date(), holidays)]


def parse_starts_at(value: str) -> datetime.datetime | None:
    """A radio's value back into an aware time; None for anything the calendar never sent."""
    try:
        parsed = datetime.datetime.fromisoformat(value.strip())
    except (AttributeError, ValueError):
        return None
    return parsed if timezone.is_aware(parsed) else None


@dataclass(frozen=True)
class Hour:
    starts_at: datetime.datetime
    available: bool
    selected: bool = False

    @property
    def value(self) -> str:
        return timezone.localtime(self.starts_at, tehran()).isoformat()

    @property
    def label(self) -> str:
        return to_persian_digits(f"{timezone.localtime(self.starts_at, tehran()):%H:%M}")


@dataclass(frozen=True)
class Day:
    date: datetime.date
    label: str
    hours: list[Hour]
    closed_reason: str = ""  # "تعطیل رسمی" / "تعطیل آخر هفته"; empty on a working day

    @property
    def has_available(self) -> bool:
        return any(hour.available for hour in self.hours)


def holiday_dates() -> frozenset[datetime.date]:
    def read() -> frozenset[datetime.date]:
        return frozenset(Holiday.objects.values_list("date", flat=True))

    return cache.get_or_set(HOLIDAYS_KEY, read, HOLIDAYS_SECONDS)


def _forget_holidays(**_) -> None:
    cache.delete(HOLIDAYS_KEY)


def connect_holidays() -> None:
    """Called once from the app's ready()."""
    post_save.connect(_forget_holidays, sender=Holiday, dispatch_uid="appointments-holidays-save")
    post_delete.connect(_forget_holidays, sender=Holiday, dispatch_uid="appointments-holidays-del")


def closed_reason(date: datetime.date, holidays: frozenset[datetime.date]) -> str:
    """Why no visit can be booked on `date` ("" on a working day): the one rule for the
    calendar, its free hours and a hold (`holidays`: holiday_dates())."""
    if date in holidays:
        return "تعطیل رسمی"
    return "تعطیل آخر هفته" if date.weekday() in WEEKEND else ""


@functools.lru_cache(maxsize=64)
def _working_hours(date: datetime.date, zone: datetime.tzinfo) -> tuple[datetime.datetime, ...]:
    """The day's usual visit hours, in order (made once per day and process)."""
    return tuple(sorted(datetime.datetime.combine(date, datetime.time(hour), zone)
                        for hour in CALENDAR_HOURS))


def calendar(
    district: int,
    now: datetime.datetime | None = None,
    days: int = DEFAULT_DAYS,
    *,
    case: Case | None = None,
    selected: datetime.datetime | None = None,
    hold_known: bool = False,
) -> list[Day]:
    """Every date from today for `days` days, each with its visit hours marked free or not.

    With `case`, that case's own hold counts as free and is checked unless `selected`
    (e.g. the citizen's last submitted choice) says otherwise; `hold_known` says the
    caller already passed the hold as `selected` (None: there is none), so it is not read again.
    """
    now = now or timezone.now()
    if case is not None and selected is None and not hold_known:
        live = Appointment.objects.live().filter(case=case).select_related("slot").first()
        selected = live.slot.starts_at if live else None
    holidays = holiday_dates()
    free = set(free_times(district, now, days, case, holidays))
    zone = tehran()
    free_on: dict[datetime.date, set[datetime.datetime]] = {}
    for start in free:
        free_on.setdefault(start.astimezone(zone).date(), set()).add(start)
    today = timezone.localdate(now, zone)
    result = []
    for offset in range(days):
        date = today + datetime.timedelta(days=offset)
        starts = _working_hours(date, zone)
        # A slot a clerk added outside the usual hours must still be choosable.
        extra = free_on.get(date)
        if extra and not extra <= set(starts):
            starts = sorted(set(starts).union(extra))
        hours = [
            Hour(start, available=start in free, selected=start in free and start == selected)
            for start in starts
        ]
        result.append(Day(date, jalali(date, "day"), hours, closed_reason(date, holidays)))
    return result
