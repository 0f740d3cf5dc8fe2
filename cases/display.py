"""Values as a Persian reader sees them: digits, rials, Jalali dates, codes (the pages'
filters, config/jinja_env.py, and the rows and texts built in Python)."""
import datetime
import functools

import jdatetime
from django.utils import timezone
from django.utils.html import format_html

from cases import persian
from cases.tracking import format_tracking_number

JALALI_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)
WEEKDAYS = ("شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه")


def to_jalali(value: datetime.date | datetime.datetime) -> jdatetime.date | jdatetime.datetime:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return jdatetime.datetime.fromgregorian(datetime=value)
    return jdatetime.date.fromgregorian(date=value)


def fa_digits(value) -> str:
    """123 → ۱۲۳ (anything else in the text is kept)."""
    if value is None:
        return ""
    return persian.to_persian_digits(value)


def rials(value) -> str:
    """4500000 → ۴٬۵۰۰٬۰۰۰ ریال"""
    if value in (None, ""):
        return ""
    return f"{persian.format_rials(int(value))} ریال"


def jalali(value, style: str = "date") -> str:
    """A date or datetime as a Persian reader writes it: ۱۴۰۵/۰۹/۰۳ (style 'date'),
    ۱۴۰۵/۰۹/۰۳ ساعت ۱۰:۰۰ ('datetime'), ۳ آذر ۱۴۰۵ ('long'), سه‌شنبه ۳ آذر ('day')."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return _date_text(value, style)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    time = persian.to_persian_digits(f"{value.hour:02d}:{value.minute:02d}")
    if style == "time":
        return time
    if style == "datetime":
        return f"{_date_text(value.date(), 'date')} ساعت {time}"
    return _date_text(value.date(), style)


# A list page prints a few dozen dates, mostly the same few days: each day's text is
# made once per process (jdatetime's conversion reads the locale on every call).
@functools.lru_cache(maxsize=4096)
def _date_text(day: datetime.date, style: str) -> str:
    j = jdatetime.date.fromgregorian(date=day)
    if style == "long":
        text = f"{j.day} {JALALI_MONTHS[j.month - 1]} {j.year}"
    elif style == "day":
        text = f"{WEEKDAYS[j.weekday()]} {j.day} {JALALI_MONTHS[j.month - 1]}"
    else:
        text = f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
    return persian.to_persian_digits(text)


def tracking(value) -> str:
    """A tracking number grouped and in Persian digits, isolated left-to-right."""
    if not value:
        return ""
    return _tracking_html(str(value))


@functools.lru_cache(maxsize=4096)
def _tracking_html(value: str) -> str:
    return format_html('<bdi dir="ltr">{}</bdi>', tracking_text(value))


@functools.lru_cache(maxsize=4096)
def tracking_text(value: str) -> str:
    """A stored tracking number as plain text, grouped and in Persian digits: a list page
    prints each one twice (the link and the checkbox's label), each checked and grouped
    once per process."""
    return format_tracking_number(value)


def ltr_code(value) -> str:
    """A code (renovation code, request number, phone) in Persian digits, read left-to-right."""
    if value in (None, ""):
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', persian.to_persian_digits(value))
