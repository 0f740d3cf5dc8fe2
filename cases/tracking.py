"""Tracking numbers (شماره پیگیری) and certificate verification codes."""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError

from cases.persian import clean_number_input, to_persian_digits

MSG_TRACKING = "شماره پیگیری معتبر نیست"

_NORMAL = re.compile(r"[1-9][0-9]{9}")
_SPACING = re.compile(r"[\s\-\u2010-\u2015\u2212]")


def _luhn_check_digit(payload: str) -> str:
    # Counting from the right of the payload, because the check digit is what
    # will stand at position 0 once appended.
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str(-total % 10)


def generate_tracking_number() -> str:
    # Random rather than sequential so that a number reveals nothing about
    # case volume and neighbouring numbers cannot be guessed; a leading zero
    # is avoided because spreadsheets and number inputs would drop it.
    payload = secrets.choice("123456789") + "".join(
        secrets.choice("0123456789") for _ in range(8)
    )
    return payload + _luhn_check_digit(payload)


def is_valid_tracking_number(s: str) -> bool:
    """True only for the stored normal form: ten ASCII digits, check digit
    correct. Use parse_tracking_number for anything a person typed."""
    return bool(_NORMAL.fullmatch(s)) and _luhn_check_digit(s[:9]) == s[9]


def parse_tracking_number(raw: str) -> str:
    """Any digit set, with or without spaces/dashes → the 10-digit normal form."""
    text = _SPACING.sub("", clean_number_input(raw))
    if not is_valid_tracking_number(text):
        raise ValidationError(MSG_TRACKING, code="invalid_tracking_number")
    return text


def format_tracking_number(s: str) -> str:
    """"1234567890" → "۱۲۳ ۴۵۶ ۷۸۹۰" (groups of 3-3-4 are easier to read aloud)."""
    n = parse_tracking_number(s)
    return to_persian_digits(f"{n[:3]} {n[3:6]} {n[6:]}")


def generate_verification_code() -> str:
    """Eight random digits, independent of the tracking number so that knowing
    one does not let anyone forge a certificate check."""
    return f"{secrets.randbelow(10**8):08d}"
