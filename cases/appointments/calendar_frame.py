"""The calendar's grid rendered once, its free and taken hours filled in per page.

The days, their labels and their hours (the frame) are the same for every citizen on a
day; what differs is which hours are free and which one is the citizen's. The frame is
rendered three times (every hour taken; every hour free; every hour free and chosen)
and cut at the marks `appointments/_calendar_days.html` prints between a day's opening,
each hour and a day's end; a page then takes each piece from the variant its state
asks for. The frame's key is its own content (dates, labels, closed reasons, hours), so
no change can make a kept frame wrong and nothing needs invalidating; the pieces are
kept in the process (a shared cache would cost more to read than they cost to join).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from .availability import Day, Hour

TEMPLATE = "appointments/_calendar_days.html"
MARK = "\x00"
MAX_FRAMES = 32
TAKEN, FREE, CHOSEN = 0, 1, 2

_frames: dict[tuple, list[list[str]]] = {}


def _key(days: list[Day]) -> tuple:
    return (translation.get_language(),
            tuple((d.date, d.label, d.closed_reason, tuple(h.starts_at for h in d.hours))
                  for d in days))


def _variant(days: list[Day], state: int) -> list[str]:
    shaped = [Day(d.date, d.label, [Hour(h.starts_at, available=state != TAKEN,
                                         selected=state == CHOSEN) for h in d.hours],
                  d.closed_reason) for d in days]
    return render_to_string(TEMPLATE, {"days": shaped, "mark": mark_safe(MARK)}).split(MARK)


def _pieces(days: list[Day]) -> list[list[str]]:
    key = _key(days)
    pieces = _frames.get(key)
    if pieces is None:
        pieces = [_variant(days, state) for state in (TAKEN, FREE, CHOSEN)]
        if len(_frames) >= MAX_FRAMES:
            _frames.clear()
        _frames[key] = pieces
    return pieces


def render_days(days: list[Day]) -> SafeString:
    """What `_calendar_days.html` renders for `days`, from the kept frame."""
    variants = _pieces(days)
    out = [variants[TAKEN][0]]
    at = 1
    for day in days:
        out.append(variants[FREE if day.has_available else TAKEN][at])  # the day's opening
        at += 1
        for hour in day.hours:
            state = (CHOSEN if hour.selected else FREE) if hour.available else TAKEN
            out.append(variants[state][at])
            at += 1
        out.append(variants[TAKEN][at])  # the day's end
        at += 1
    return mark_safe("".join(out))
