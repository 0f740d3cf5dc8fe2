"""Grammar of the renovation code (کدنوسازی) and the registry's request number."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from cases.persian import clean_number_input, to_persian_digits

# Between groups citizens type "-", "/", spaces, or a mix, sometimes doubled;
# dash look-alikes arrive when a code is pasted from a word processor.
_SEPARATOR_RUN = re.compile(r"[\s\-/\u2010-\u2015\u2212]+")
_ALLOWED = re.compile(r"[0-9\s\-/\u2010-\u2015\u2212]+")
_DIGITS = re.compile(r"[0-9]+")  # not \d: that would let Devanagari etc. through

RENOVATION_GROUPS = 7
MAX_GROUP_DIGITS = 5
DISTRICTS = range(1, 23)

MSG_EMPTY = "کدنوسازی را وارد کنید"
MSG_CHARACTERS = "کدنوسازی فقط می‌تواند رقم و جداکننده‌های «-» یا «/» یا فاصله داشته باشد"
MSG_GROUP_COUNT = "کدنوسازی باید هفت بخش عددی داشته باشد، مانند ۱۲-۳۴۵-۶۷-۸-۰-۰-۱۲"
MSG_DISTRICT = "منطقه (بخش اول کدنوسازی) باید عددی از ۱ تا ۲۲ باشد"
MSG_GROUP_LENGTH = "هر بخش کدنوسازی حداکثر پنج رقم دارد"
MSG_NOT_NORMAL = "کدنوسازی باید به شکل استاندارد {} ذخیره شود"


def _split(raw: str, empty_message: str, characters_message: str) -> list[str]:
    text = clean_number_input(raw)
    if not text:
        raise ValidationError(empty_message, code="empty")
    if not _ALLOWED.fullmatch(text):
        raise ValidationError(characters_message, code="invalid_characters")
    return _SEPARATOR_RUN.split(text)


# Codes read left to right; on an RTL page the input must say so, or the groups
# visibly jump around while being typed.
_LTR_INPUT = forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"})


@dataclass(frozen=True)
class RenovationCode:
    groups: tuple[str, ...]

    def __post_init__(self) -> None:
        # Validation lives here so a code built directly is held to the same
        # rules as a parsed one.
        groups = tuple(self.groups)
        if len(groups) != RENOVATION_GROUPS or not all(groups):
            raise ValidationError(MSG_GROUP_COUNT, code="group_count")
        if not all(_DIGITS.fullmatch(g) for g in groups):
            raise ValidationError(MSG_CHARACTERS, code="invalid_characters")
        if any(len(g) > MAX_GROUP_DIGITS for g in groups):
            raise ValidationError(MSG_GROUP_LENGTH, code="group_length")
        if int(groups[0]) not in DISTRICTS:
            raise ValidationError(MSG_DISTRICT, code="district")
        # Only the district is canonicalised: "012" and "12" are the same
        # district, while the registry treats the other groups as opaque text.
        object.__setattr__(self, "groups", (str(int(groups[0])),) + groups[1:])

    @classmethod
    def parse(cls, raw: str) -> RenovationCode:
        # Without separators the group boundaries are unknowable, so such input
        # falls through to the seven-groups message.
        return cls(tuple(_split(raw, MSG_EMPTY, MSG_CHARACTERS)))

    @property
    def district(self) -> int:
        return int(self.groups[0])

    def __str__(self) -> str:
        return "-".join(self.groups)

    def display(self) -> str:
        """Normal form in Persian digits; the template wraps it in <bdi dir="ltr">."""
        return to_persian_digits(str(self))


def validate_renovation_code(value: str) -> None:
    """Model-field validator: the stored value must be a valid code *in normal
    form*, otherwise lookups and uniqueness would miss "12/345/…" spellings."""
    normal = str(RenovationCode.parse(value))
    if value != normal:
        raise ValidationError(
            MSG_NOT_NORMAL.format(to_persian_digits(normal)), code="not_normalized"
        )


class RenovationCodeField(forms.CharField):
    """Accepts any typed spelling; cleans to the normal-form string."""

    widget = _LTR_INPUT

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return str(RenovationCode.parse(value))


REQUEST_YEARS = range(1300, 1500)

MSG_RN_EMPTY = "شماره درخواست را وارد کنید"
MSG_RN_CHARACTERS = "شماره درخواست فقط می‌تواند رقم و جداکننده‌های «-» یا «/» یا فاصله داشته باشد"
MSG_RN_SHAPE = "شماره درخواست باید به شکل سال-ماه-شماره باشد، مانند ۱۴۰۳-۱۲-۰۰۰۱۲۳"
MSG_RN_YEAR = "سال در شماره درخواست باید چهار رقم و از ۱۳۰۰ تا ۱۴۹۹ باشد"
MSG_RN_MONTH = "ماه در شماره درخواست باید از ۱ تا ۱۲ باشد"
MSG_RN_SERIAL = "بخش سوم شماره درخواست باید دقیقاً شش رقم باشد"


@dataclass(frozen=True)
class RequestNumber:
    year: int
    month: int
    serial: int

    def __post_init__(self) -> None:
        if self.year not in REQUEST_YEARS:
            raise ValidationError(MSG_RN_YEAR, code="year")
        if not 1 <= self.month <= 12:
            raise ValidationError(MSG_RN_MONTH, code="month")
        if not 0 <= self.serial <= 999_999:
            raise ValidationError(MSG_RN_SERIAL, code="serial")

    @classmethod
    def parse(cls, raw: str) -> RequestNumber:
        parts = _split(raw, MSG_RN_EMPTY, MSG_RN_CHARACTERS)
        # Unlike the renovation code, the fixed widths make 12 bare digits
        # unambiguous, so a number typed without separators is accepted.
        if len(parts) == 1 and len(parts[0]) == 12:
            parts = [parts[0][:4], parts[0][4:6], parts[0][6:]]
        if len(parts) != 3 or not all(parts):
            raise ValidationError(MSG_RN_SHAPE, code="shape")
        year, month, serial = parts
        if len(year) != 4:
            raise ValidationError(MSG_RN_YEAR, code="year")
        if len(month) > 2:
            raise ValidationError(MSG_RN_MONTH, code="month")
        # The serial is not padded for the citizen: a short one is more likely
        # a typo than a number that really begins with zeros.
        if len(serial) != 6:
            raise ValidationError(MSG_RN_SERIAL, code="serial")
        return cls(int(year), int(month), int(serial))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.serial:06d}"

    def display(self) -> str:
        return to_persian_digits(str(self))


class RequestNumberField(forms.CharField):
    """Accepts any typed spelling; cleans to the normal-form string."""

    widget = _LTR_INPUT

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return str(RequestNumber.parse(value))
