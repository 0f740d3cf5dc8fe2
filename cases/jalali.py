"""Jalali dates typed by people: ۱۴۰۵/۰۹/۰۳, 1405-9-3, ١٤٠٥ ٠٩ ٠٣ …"""

import datetime
import re
from typing import Any

import jdatetime
from django import forms
from django.core.exceptions import ValidationError

from .persian import clean_number_input, to_persian_digits

_DATE = re.compile(r"^(\d{4})\s*[/\-.\s]\s*(\d{1,2})\s*[/\-.\s]\s*(\d{1,2})$")
MESSAGE = "تاریخ را به شکل سال/ماه/روز شمسی وارد کنید، مانند ۱۴۰۵/۰۹/۰۳."


def parse_jalali_date(raw: str) -> datetime.date:
    match = _DATE.match(clean_number_input(raw or ""))
    if not match:
        raise ValidationError(MESSAGE, code="format")
    year, month, day = (int(g) for g in match.groups())
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError:
        raise ValidationError("این تاریخ در تقویم شمسی وجود ندارد.", code="invalid") from None


def format_jalali_date(value: datetime.date) -> str:
    j = jdatetime.date.fromgregorian(date=value)
    return to_persian_digits(f"{j.year:04d}/{j.month:02d}/{j.day:02d}")


class JalaliDateField(forms.CharField):
    """A text field holding a Jalali date; cleans to a Gregorian `datetime.date`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "مانند ۱۴۰۵/۰۹/۰۳")
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return format_jalali_date(value)
        return value

    def to_python(self, value: Any) -> datetime.date | None:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return parse_jalali_date(value)
