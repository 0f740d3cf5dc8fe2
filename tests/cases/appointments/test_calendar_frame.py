"""The calendar put together from its kept frame is the calendar rendered whole, and a
change of holidays or hours shows on the next page."""

import datetime
import random

import pytest
from django.template.loader import render_to_string

from cases.appointments import calendar_frame
from cases.appointments.availability import Day, Hour, calendar
from cases.models import Holiday

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_kept_frames():
    calendar_frame._frames.clear()


def shuffled(days: list[Day], seed: int) -> list[Day]:
    """The same frame with hours free, taken and chosen at random."""
    pick = random.Random(seed)
    out = []
    for day in days:
        hours = []
        for hour in day.hours:
            free = pick.random() < 0.4
            hours.append(Hour(hour.starts_at, available=free, selected=free and pick.random() < 0.2))
        out.append(Day(day.date, day.label, hours, day.closed_reason))
    return out


@pytest.mark.parametrize("seed", range(5))
def test_the_kept_frame_gives_the_page_the_whole_render_gives(demo, seed):
    days = shuffled(calendar(12), seed)
    calendar_frame.render_days(shuffled(days, seed + 100))  # the frame kept from another state
    whole = render_to_string(calendar_frame.TEMPLATE, {"days": days})
    assert calendar_frame.render_days(days) == whole
    assert len(calendar_frame._frames) == 1


def test_an_hour_outside_the_usual_ones_gets_its_own_frame(demo):
    days = calendar(12)
    calendar_frame.render_days(days)
    late = days[0].hours[-1].starts_at + datetime.timedelta(hours=3)
    first = Day(days[0].date, days[0].label, [*days[0].hours, Hour(late, available=True)])
    html = calendar_frame.render_days([first, *days[1:]])
    assert html == render_to_string(calendar_frame.TEMPLATE, {"days": [first, *days[1:]]})
    assert "۱۶:۰۰" in html or "۱۵:۰۰" in html or late.isoformat()[:13] in html


def test_a_new_holiday_closes_its_day_on_the_next_page(demo):
    days = calendar(12)
    working = next(d for d in days if not d.closed_reason)
    before = calendar_frame.render_days(days)
    Holiday.objects.create(date=working.date, title="تعطیل تازه")
    after = calendar(12)
    closed = next(d for d in after if d.date == working.date)
    assert closed.closed_reason == "تعطیل رسمی" and not closed.has_available
    html = calendar_frame.render_days(after)
    assert html != before and f"{working.label} (تعطیل رسمی)" in html
