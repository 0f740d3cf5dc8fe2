"""Widgets render through Django's Jinja2 templates to the same markup as through its
Django-engine ones; a template only the Django engine has (the admin's) still renders."""

import re

import pytest
from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template
from django.utils.translation import gettext_lazy

from cases.select_widget import KeptOptionsSelect
from web import form_renderer
from web.form_renderer import InputTemplate, JinjaFirstRenderer, MultipleInputTemplate
from workflows.steps.inspection import InspectionForm


class EveryKind(forms.Form):
    text = forms.CharField(label="نام", max_length=20, help_text="راهنما")
    number = forms.IntegerField(label="عدد", required=False)
    choice = forms.ChoiceField(label="انتخاب", choices=[("a", "الف"), ("b", "ب")])
    kept = forms.ChoiceField(label="نگه‌داشته", choices=[("x", "x")], widget=KeptOptionsSelect)
    many = forms.MultipleChoiceField(label="چند", choices=[("a", "الف"), ("b", "ب")],
                                     widget=forms.CheckboxSelectMultiple, required=False)
    agree = forms.BooleanField(label="می‌پذیرم")
    day = forms.DateField(label="روز", widget=AdminDateWidget, required=False)


@pytest.mark.parametrize("form", [
    lambda renderer: EveryKind(renderer=renderer),
    lambda renderer: EveryKind({"text": "<b>", "choice": "z"}, renderer=renderer),  # errors
    lambda renderer: InspectionForm(renderer=renderer),
    lambda renderer: InspectionForm({"result": "cancelled"}, renderer=renderer),
])
def test_the_same_markup_as_through_the_django_engine(form):
    jinja_first, django = form(JinjaFirstRenderer()), form(DjangoTemplates())
    jinja_first.is_bound and jinja_first.is_valid()
    django.is_bound and django.is_valid()
    for name in jinja_first.fields:
        assert spaced(jinja_first[name]) == spaced(django[name]), name
        assert spaced(jinja_first[name].errors) == spaced(django[name].errors), name
    assert spaced(jinja_first) == spaced(django)


def spaced(html) -> str:
    """Without the white space between two tags, each other run of it as one space: the
    engines keep different amounts of the templates' line breaks between tags (around a
    radio button's <div>, where a browser shows none either way); the text itself, a
    label's words and the space before them, must be the same."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html)))


def test_djangos_widgets_come_from_jinja2_and_the_admins_from_the_django_engine():
    renderer = JinjaFirstRenderer()
    assert isinstance(renderer.get_template("django/forms/widgets/select.html"), Jinja2Template)
    assert isinstance(renderer.get_template("django/forms/widgets/text.html"), InputTemplate)
    assert isinstance(renderer.get_template("django/forms/widgets/radio.html"),
                      MultipleInputTemplate)
    assert isinstance(renderer.get_template("admin/widgets/related_widget_wrapper.html"),
                      DjangoTemplate)


TRICKY = [
    {"type": "text", "name": "q", "value": None, "attrs": {}},
    {"type": "text", "name": "a<b", "value": '"x" & <y>', "attrs": {"id": "id_q", "maxlength": 20}},
    {"type": "checkbox", "name": "agree", "value": None,
     "attrs": {"checked": True, "required": True, "disabled": False, "data-n": 0}},
    {"type": "number", "name": "n", "value": "0",
     "attrs": {"placeholder": gettext_lazy("نام"), "aria-describedby": "id_n_helptext"}},
    {"type": "date", "name": "d", "value": "", "attrs": {"class": "a 'b'"}},
]


@pytest.mark.parametrize("widget", TRICKY)
@pytest.mark.parametrize("kind", form_renderer.INPUT_WIDGETS)
def test_a_plain_input_written_in_python_is_what_djangos_template_prints(kind, widget):
    name = f"django/forms/widgets/{kind}.html"
    context = {"widget": {**widget, "template_name": name}}

    assert InputTemplate().render(context) == Jinja2().get_template(name).render(context)


def test_a_template_unlike_the_one_copied_is_left_to_jinja2(monkeypatch):
    monkeypatch.setattr(form_renderer, "ATTRS_SOURCE", form_renderer.ATTRS_SOURCE + " ")

    renderer = JinjaFirstRenderer()

    assert isinstance(renderer.get_template("django/forms/widgets/text.html"), Jinja2Template)


GROUPED = [("فصل اول", [("a", "الف"), ("b", "<ب>")]), ("c", "ج")]


@pytest.mark.parametrize("widget", [
    forms.RadioSelect(choices=[("owner", "مالک"), ("agent", "وکیل")]),
    forms.RadioSelect(choices=GROUPED, attrs={"class": "choices 'x'"}),
    forms.CheckboxSelectMultiple(choices=GROUPED),
    forms.CheckboxSelectMultiple(choices=[(1, "یک"), (2, "دو")], attrs={"required": True}),
])
@pytest.mark.parametrize("value", [None, "agent", ["a", "c"], [2]])
@pytest.mark.parametrize("attrs", [None, {"id": "id_role", "aria-invalid": "true"}])
def test_a_group_of_radios_or_checkboxes_written_in_python_is_what_djangos_templates_print(
        widget, value, attrs):
    context = widget.get_context("role", value, attrs)

    assert JinjaFirstRenderer().get_template(widget.template_name).render(context) == \
        Jinja2().get_template(widget.template_name).render(context)


def test_an_option_of_another_template_is_left_to_jinja2():
    class Starred(forms.RadioSelect):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Starred(choices=[("a", "الف")])
    context = widget.get_context("x", "a", {"id": "id_x"})

    assert JinjaFirstRenderer().get_template(widget.template_name).render(context) == \
        Jinja2().get_template(widget.template_name).render(context)
