"""Working days: Fridays and the official holidays (cases.Holiday) do not count."""

from __future__ import annotations

import datetime

from cases.appointments.availability import holiday_dates

FRIDAY = 4  # Python's weekday()


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    # From the cached list the calendar keeps (dropped when a holiday changes).
    return {day for day in holiday_dates() if start <= day <= end}


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
