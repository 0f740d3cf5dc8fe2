import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings, strategies as st

from cases.tracking import (
    _luhn_check_digit,
    format_tracking_number,
    generate_tracking_number,
    generate_verification_code,
    is_valid_tracking_number,
    parse_tracking_number,
)

DIGIT_SETS = ("0123456789", "۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")
MSG_TRACKING = "شماره پیگیری معتبر نیست"

# Luhn check digit of 123456789 is 7 (a standard worked example).
VALID = "1234567897"


def in_digit_set(text, digit_set):
    return text.translate(str.maketrans("0123456789", digit_set))


def test_known_luhn_numbers():
    assert is_valid_tracking_number(VALID)
    assert is_valid_tracking_number("7992739875")
    # The textbook example 79927398713, checked against the helper directly
    # because it is eleven digits long.
    assert _luhn_check_digit("7992739871") == "3"
    assert not is_valid_tracking_number("1234567890")


@pytest.mark.parametrize(
    "s",
    ["", "123456789", "12345678977", "0234567897", "۱۲۳۴۵۶۷۸۹۷", "123 456 7897", "abcdefghij"],
)
def test_is_valid_accepts_only_the_normal_form(s):
    assert not is_valid_tracking_number(s)


@pytest.mark.parametrize("digit_set", DIGIT_SETS)
@pytest.mark.parametrize(
    "spelling", ["1234567897", "123 456 7897", "123-456-7897", " 123  456 7897 ", "12345 67897"]
)
def test_parse_any_digit_set_and_spacing(spelling, digit_set):
    assert parse_tracking_number(in_digit_set(spelling, digit_set)) == VALID


@pytest.mark.parametrize(
    "raw",
    ["", "123456789", "12345678977", "1234567890", "0000000000", "123.456.7897", "123456789x"],
)
def test_parse_rejects(raw):
    with pytest.raises(ValidationError) as excinfo:
        parse_tracking_number(raw)
    assert excinfo.value.messages == [MSG_TRACKING]


def test_format():
    assert format_tracking_number(VALID) == "۱۲۳ ۴۵۶ ۷۸۹۷"
    assert format_tracking_number("۱۲۳-۴۵۶-۷۸۹۷") == "۱۲۳ ۴۵۶ ۷۸۹۷"
    with pytest.raises(ValidationError):
        format_tracking_number("1234567890")


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=10**6))
def test_generated_numbers_are_valid_and_format_round_trips(_):
    number = generate_tracking_number()
    assert len(number) == 10 and number[0] != "0"
    assert is_valid_tracking_number(number)
    formatted = format_tracking_number(number)
    assert [len(g) for g in formatted.split(" ")] == [3, 3, 4]
    assert parse_tracking_number(formatted) == number


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_is_detected(position, delta):
    number = generate_tracking_number()
    changed = str((int(number[position]) + delta) % 10)
    tampered = number[:position] + changed + number[position + 1 :]
    assert not is_valid_tracking_number(tampered)
    with pytest.raises(ValidationError):
        parse_tracking_number(tampered)


def test_tracking_numbers_are_not_sequential():
    numbers = {generate_tracking_number() for _ in range(200)}
    assert len(numbers) == 200


def test_verification_code():
    codes = [generate_verification_code() for _ in range(500)]
    assert all(len(c) == 8 and c.isascii() and c.isdigit() for c in codes)
    assert len(set(codes)) > 490
    # A leading zero must be possible (about 1 in 10), not padded away.
    assert any(c.startswith("0") for c in codes)
