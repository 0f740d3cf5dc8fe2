"""The kept-options <select> prints what Django's own Select prints."""

import pytest
from django import forms

from cases.select_widget import KeptChoices, KeptOptionsSelect

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


class _Filter(forms.Form):
    step = forms.ChoiceField(required=False, choices=KeptChoices(lambda: _read()),
                             widget=KeptOptionsSelect)


_reads = []


def _read():
    _reads.append(1)
    return CHOICES


def test_kept_choices_are_read_once_and_shared_by_every_form():
    forms_made = [_Filter({"step": "12"}), _Filter({"step": "a<b"}), _Filter({"step": "nope"})]

    assert [f.is_valid() for f in forms_made] == [True, True, False]
    assert len(_reads) == 1
    assert forms_made[0].fields["step"].choices is forms_made[1].fields["step"].choices
    assert forms_made[2].errors["step"]  # a value not offered is still refused
    assert _Filter().fields["step"].widget.render("step", "12") == \
        forms.Select(choices=CHOICES).render("step", "12")


def test_kept_choices_of_a_list_are_its_pairs_normalized():
    kept = KeptChoices.of(CHOICES)
    field = forms.TypedChoiceField(choices=kept, coerce=str, required=False)

    assert list(field.choices) == [tuple(pair) for pair in CHOICES]
    assert field.clean("12") == "12"
