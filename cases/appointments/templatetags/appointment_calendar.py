"""`{% calendar_days days %}`: the calendar's days and hours (appointments/calendar_frame.py)."""

from django import template

from ..calendar_frame import render_days

register = template.Library()


@register.simple_tag
def calendar_days(days):
    return render_days(list(days or []))
