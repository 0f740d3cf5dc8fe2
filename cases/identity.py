"""Iranian mobile numbers and national IDs (کد ملی)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from cases.persian import clean_number_input, to_persian_digits

MSG_MOBILE = "شماره همراه معتبر نیست؛ مانند ۰۹۱۲۱۲۳۴۵۶۷"
MSG_MOBILE_NOT_NORMAL = "شماره همراه باید به شکل استاندارد {} ذخیره شود"
MSG_NATIONAL_ID = "کد ملی معتبر نیست"

# Punctuation people use when writing numbers down; stripping anything more
# (letters, dots) would accept text that was never meant as a phone number.
_MOBILE_PUNCTUATION = re.compile(r"[\s\-()\u2010-\u2015\u2212]")
# The trunk "0" after the country code ("+98 (0)912…") is wrong but common.
_MOBILE = re.compile(r"(?:\+98|0098|98)?0?(9[0-9]{9})")

_NATIONAL_ID_PUNCTUATION = re.compile(r"[\s\-\u2010-\u2015\u2212]")  # the card prints ۰۴۹-۹۳۷۰۸۹-۹
_NATIONAL_ID = re.compile(r"[0-9]{8,10}")


def normalize_mobile(raw: str) -> str:
    """Any common spelling of an Iranian mobile number → "09121234567"."""
    match = _MOBILE.fullmatch(_MOBILE_PUNCTUATION.sub("", clean_number_input(raw)))
    if not match:
        raise ValidationError(MSG_MOBILE, code="invalid_mobile")
    return "0" + match.group(1)


def mobile_to_e164(normal: str) -> str:
    """"09121234567" → "+989121234567", the form SMS providers expect."""
    return "+98" + normalize_mobile(normal)[1:]


def validate_mobile(value: str) -> None:
    """Model-field validator: valid *and* already in normal form, so one phone
    cannot be stored under several spellings."""
    normal = normalize_mobile(value)
    if value != normal:
        raise ValidationError(
            MSG_MOBILE_NOT_NORMAL.format(to_persian_digits(normal)), code="not_normalized"
        )


def _national_id_check_digit(first_nine: str) -> int:
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(first_nine)) % 11
    return remainder if remainder < 2 else 11 - remainder


def validate_national_id(raw: str) -> str:
    """Check a کد ملی and return its 10-digit normal form."""
    text = _NATIONAL_ID_PUNCTUATION.sub("", clean_number_input(raw))
    if not _NATIONAL_ID.fullmatch(text):
        raise ValidationError(MSG_NATIONAL_ID, code="invalid_national_id")
    # Leading zeros get lost when the ID passes through spreadsheets or
    # number fields, so 8 or 9 digits are a zero-stripped 10-digit ID.
    national_id = text.zfill(10)
    # Repeated digits pass the checksum but are never issued; they are what
    # people type to get past a form.
    if len(set(national_id)) == 1 or _national_id_check_digit(national_id[:9]) != int(
        national_id[9]
    ):
        raise ValidationError(MSG_NATIONAL_ID, code="invalid_national_id")
    return national_id


def make_valid_national_id(first_nine: str) -> str:
    """Append the check digit (for factories and demo data).

    Raises ValueError when no valid ID starts with ``first_nine`` (nine equal
    digits whose check digit repeats them).
    """
    digits = clean_number_input(first_nine)
    if not re.fullmatch(r"[0-9]{9}", digits):
        raise ValueError(f"expected nine digits, got {first_nine!r}")
    national_id = digits + str(_national_id_check_digit(digits))
    if len(set(national_id)) == 1:
        raise ValueError(f"{first_nine!r} only completes to a repeated-digit ID")
    return national_id


class MobileNumberField(forms.CharField):
    widget = forms.TextInput(
        attrs={"dir": "ltr", "inputmode": "tel", "autocomplete": "tel"}
    )

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalize_mobile(value)


class NationalIdField(forms.CharField):
    widget = forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return validate_national_id(value)
