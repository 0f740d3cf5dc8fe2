"""The kept-options <select> prints what Django's own Select prints."""

import pytest
from django import forms

from cases.select_widget import KeptOptionsSelect

CHOICES = [("", "همه"), ("a<b", "A & B"), ("12", "منطقه ۱۲"), (3, "سه")]
ATTRS = [None, {"id": "id_x", "aria-invalid": "true", "aria-describedby": "id_x_error",
                "required": True, "disabled": False}]


@pytest.mark.parametrize("value", [None, "", "12", 12, "a<b", 3, "not a choice"])
@pytest.mark.parametrize("attrs", ATTRS)
def test_the_same_html_as_djangos_select(value, attrs):
    KeptOptionsSelect(choices=CHOICES).render("x", "12", attrs)  # kept with another choice
    assert KeptOptionsSelect(choices=CHOICES).render("x", value, attrs) == \
        forms.Select(choices=CHOICES).render("x", value, attrs)


def test_other_choices_are_other_options():
    first = KeptOptionsSelect(choices=CHOICES).render("x", None)
    other = KeptOptionsSelect(choices=[*CHOICES, ("4", "چهار")]).render("x", None)
    assert "چهار" not in first and "چهار" in other


def test_grouped_choices_are_left_to_django():
    grouped = [("g", [("1", "یک"), ("2", "دو")])]
    assert KeptOptionsSelect(choices=grouped).render("x", "2") == \
        forms.Select(choices=grouped).render("x", "2")
