import datetime

import pytest
from django.core.exceptions import ValidationError

from cases.jalali import format_jalali_date, parse_jalali_date


@pytest.mark.parametrize(
    "raw", ["1405/09/03", "۱۴۰۵/۰۹/۰۳", "١٤٠٥-٩-٣", "1405 9 3", " 1405.09.03 "]
)
def test_any_digit_set_and_separator(raw):
    assert parse_jalali_date(raw) == datetime.date(2026, 11, 24)


@pytest.mark.parametrize("raw", ["", "1405/13/01", "1405/12/31", "24/11/2026", "abc"])
def test_bad_dates_are_refused_in_persian(raw):
    with pytest.raises(ValidationError) as error:
        parse_jalali_date(raw)
    assert "تاریخ" in error.value.messages[0]


def test_format_round_trip():
    assert format_jalali_date(datetime.date(2026, 11, 24)) == "۱۴۰۵/۰۹/۰۳"
    assert parse_jalali_date(format_jalali_date(datetime.date(2025, 3, 20))) == datetime.date(2025, 3, 20)
