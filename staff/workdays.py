"""Working days: Fridays and the official holidays (cases.Holiday) do not count."""

from __future__ import annotations

import datetime

from cases.models import Holiday

FRIDAY = 4  # Python's weekday()


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    return set(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))


def add_working_days(start: datetime.date, days: int, holidays: set[datetime.date]) -> datetime.date:
    """The date `days` working days after `start` (the deadline of an SLA)."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() != FRIDAY and current not in holidays:
            remaining -= 1
    return current


def breach_cutoff(today: datetime.date, days: int, holidays: set[datetime.date]) -> datetime.date:
    """The latest creation date whose deadline (`days` working days on) is already past:
    a task created on or before it has broken its SLA today."""
    day = today - datetime.timedelta(days=1)
    while add_working_days(day, days, holidays) >= today:
        day -= datetime.timedelta(days=1)
    return day
