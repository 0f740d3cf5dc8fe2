"""`field_row()`: a field's label, help, error and input, tied together for screen
readers by the ids Django's widgets point at (cases/field_rows.py)."""

import re

import pytest
from django import forms
from django.template import engines
from django.utils.html import escape

from tests.support.pages import Page


class VisitForm(forms.Form):
    code = forms.CharField(label="کد <b>نوسازی</b>", help_text="ده رقم & بدون خط تیره",
                           max_length=3)
    result = forms.ChoiceField(label="نتیجه بازدید", choices=[("a", "تأیید"), ("c", "ابطال")],
                               widget=forms.RadioSelect, help_text="یکی را انتخاب کنید")


def _row(field) -> str:
    return engines["jinja2"].from_string("{{ field_row(field) }}").render({"field": field})


def test_a_text_field_names_its_help_and_its_error_to_the_input():
    field = VisitForm({"code": "12345<", "result": "x"})["code"]
    html = _row(field)
    assert '<div class="field field-invalid">' in html
    assert '<label for="id_code">کد &lt;b&gt;نوسازی&lt;/b&gt;</label>' in html  # escaped
    assert '<p class="help" id="id_code_helptext">ده رقم &amp; بدون خط تیره</p>' in html
    error = re.search(r'<p class="field-error" id="id_code_error">(.*?)</p>', html).group(1)
    # The form's own messages, escaped, each followed by a space.
    assert error == '<span class="visually-hidden">خطا: </span>' + "".join(
        f"{escape(message)} " for message in field.errors)
    described = re.search(r'<input[^>]*aria-describedby="([^"]+)"', html).group(1).split()
    assert set(described) == {"id_code_helptext", "id_code_error"}
    assert 'aria-invalid="true"' in html


def test_a_valid_field_without_help_has_neither_paragraph():
    class Plain(forms.Form):
        name = forms.CharField(label="نام")

    html = _row(Plain({"name": "علی"})["name"])
    assert '<div class="field">' in html and 'class="help"' not in html
    assert "field-error" not in html and 'aria-invalid' not in html


def test_a_radio_group_is_a_fieldset_its_legend_names():
    html = _row(VisitForm({"code": "1", "result": "x"})["result"])
    opening = re.search(r"<fieldset([^>]*)>", html).group(1)
    assert 'class="field field-invalid"' in opening and 'id="id_result_group"' in opening
    assert set(re.search(r'aria-describedby="([^"]+)"', opening).group(1).split()) == {
        "id_result_helptext", "id_result_error"}
    assert "<legend>نتیجه بازدید</legend>" in html and "<label for=" not in html.split(
        "<legend>")[0]
    assert html.count('<div class="choice">') == 2
    assert '<p class="field-error" id="id_result_error">' in html


@pytest.mark.django_db
def test_a_page_shows_its_fields_through_it(client):
    page = Page.of(client.get("/accounts/login/"))
    assert '<label for="id_username">' in page.html
    assert 'class="field"' in page.html
