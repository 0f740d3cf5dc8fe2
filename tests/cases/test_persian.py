import pytest
from hypothesis import given, settings, strategies as st

from cases.persian import (
    clean_number_input,
    fold_digits,
    format_rials,
    normalize_persian_text,
    strip_bidi_controls,
    to_persian_digits,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
        ("0123456789", "0123456789"),
        ("۱۲-٣٤/56", "12-34/56"),
        ("پلاک ۱۲", "پلاک 12"),
        ("", ""),
    ],
)
def test_fold_digits(text, expected):
    assert fold_digits(text) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
        (1403, "۱۴۰۳"),
        ("12-345-67", "۱۲-۳۴۵-۶۷"),
        ("٣ و 4", "٣ و ۴"),  # only ASCII digits are converted
    ],
)
def test_to_persian_digits(value, expected):
    assert to_persian_digits(value) == expected


@pytest.mark.parametrize(
    "amount, expected",
    [
        (0, "۰"),
        (7, "۷"),
        (999, "۹۹۹"),
        (1000, "۱٬۰۰۰"),
        (4500000, "۴٬۵۰۰٬۰۰۰"),
        (1234567890, "۱٬۲۳۴٬۵۶۷٬۸۹۰"),
        (-4500000, "-۴٬۵۰۰٬۰۰۰"),
        (-12, "-۱۲"),
    ],
)
def test_format_rials(amount, expected):
    assert format_rials(amount) == expected


@pytest.mark.parametrize("amount", [4500.0, "4500", True])
def test_format_rials_rejects_non_integers(amount):
    with pytest.raises(TypeError):
        format_rials(amount)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("علي", "علی"),
        ("كاظمي", "کاظمی"),
        ("مصطفى", "مصطفی"),
        ("  محمد   رضا\tکریمی\n", "محمد رضا کریمی"),
        ("می\u200cخواهم", "می\u200cخواهم"),  # ZWNJ is spelling, not whitespace
        ("", ""),
    ],
)
def test_normalize_persian_text(text, expected):
    assert normalize_persian_text(text) == expected


def test_clean_number_input_drops_direction_marks():
    assert strip_bidi_controls("\u2066۱۲-۳۴\u2069\u200f") == "۱۲-۳۴"
    assert clean_number_input(" \u200e۱۲-٣٤\u200e ") == "12-34"


@settings(max_examples=200)
@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_rials_round_trips_to_the_integer(amount):
    text = format_rials(amount)
    assert int(fold_digits(text).replace("٬", "")) == amount
    assert not any(c in "0123456789" for c in text)


@settings(max_examples=200)
@given(st.text(alphabet="0123456789"))
def test_persian_digits_fold_back(digits):
    assert fold_digits(to_persian_digits(digits)) == digits
