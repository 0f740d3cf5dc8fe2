"""Persian text and digit helpers shared by the parsers and the templates."""

from __future__ import annotations

import re

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"

_FOLD_DIGITS = str.maketrans(_PERSIAN_DIGITS + _ARABIC_INDIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", _PERSIAN_DIGITS)

# Arabic keyboards (and text pasted from Arabic sources) produce these letters;
# without folding, "علي" and "علی" would be two different names in a search.
_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})

# Copying a code out of an RTL page brings along invisible direction marks
# (LRM, RLM, embeddings, isolates); they must not make a valid code invalid.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

THOUSANDS_SEPARATOR = "\u066c"  # ٬ — the comma would read as a decimal point to some users


def fold_digits(text: str) -> str:
    """Persian and Arabic-Indic digits to ASCII; everything else untouched."""
    return text.translate(_FOLD_DIGITS)


def to_persian_digits(value: object) -> str:
    """``str(value)`` with ASCII digits shown as Persian digits."""
    return str(value).translate(_TO_PERSIAN)


def format_rials(amount: int) -> str:
    """4500000 → "۴٬۵۰۰٬۰۰۰"; a negative amount keeps a leading "-"."""
    # Rials have no fractional part: a float or Decimal here is a bug upstream,
    # and silently rounding money would hide it.
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError(f"format_rials expects an int, got {type(amount).__name__}")
    sign = "-" if amount < 0 else ""
    grouped = f"{abs(amount):,}".replace(",", THOUSANDS_SEPARATOR)
    return sign + to_persian_digits(grouped)


def normalize_persian_text(text: str) -> str:
    """Fold Arabic ye/kaf to Persian, trim and collapse whitespace.

    ZWNJ (نیم‌فاصله) is kept: it is part of Persian spelling, not whitespace.
    """
    return " ".join(text.translate(_ARABIC_LETTERS).split())


def strip_bidi_controls(text: str) -> str:
    """Remove invisible direction marks picked up when copying from RTL pages."""
    return _BIDI_CONTROLS.sub("", text)


def clean_number_input(text: str) -> str:
    """Common first step for every number a citizen types: fold digits, drop
    direction marks, trim."""
    return fold_digits(strip_bidi_controls(text)).strip()
