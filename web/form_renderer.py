"""Form widgets rendered by Jinja2 where Django ships a Jinja2 template for them, by the
Django template engine otherwise.

Django renders every widget, label and error list through a template; through its own
template engine that was a quarter of a form page's CPU (the inspector's visit page: 1.9
of 7.8 ms under a profiler). Django ships each of its form templates twice, the same
markup for both engines (django/forms/templates and django/forms/jinja2), and the Jinja2
ones render faster: that page 6.2 → 5.3 ms. Templates only the Django engine has (the
admin's widgets, Django's `Jinja2` renderer's failing case) are found there, as before.

The plain <input> widgets (text, date, number, checkbox, hidden, …: templates that only
include input.html) are written in Python with input.html's and attrs.html's markup, 5 µs
where the two templates cost ~30 µs a field. Only while Django ships those templates as
they are here: each is compared with its expected text when the renderer is made, and a
template that differs is rendered by Jinja2 as before.
"""

from __future__ import annotations

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template.exceptions import TemplateDoesNotExist
from markupsafe import escape

INCLUDES_INPUT = '{% include "django/forms/widgets/input.html" %}'
INPUT_SOURCE = (
    '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
    ' value="{{ widget.value }}"{% endif %}{% include "django/forms/widgets/attrs.html" %}>')
ATTRS_SOURCE = (
    "{% for name, value in widget.attrs.items() %}{% if value is not sameas False %}"
    ' {{ name }}{% if value is not sameas True %}="{{ value }}"{% endif %}{% endif %}'
    "{% endfor %}")
INPUT_WIDGETS = ("checkbox", "color", "date", "datetime", "email", "file", "hidden", "number",
                 "password", "search", "tel", "text", "time", "url")


class InputTemplate:
    """django/forms/widgets/input.html (with attrs.html), autoescaped as Jinja2 does."""

    def render(self, context: dict, request=None) -> str:
        widget = context["widget"]
        value = widget["value"]
        shown = "" if value is None else f' value="{escape(value)}"'
        attrs = "".join(
            f" {escape(attr)}" if given is True else f' {escape(attr)}="{escape(given)}"'
            for attr, given in widget["attrs"].items() if given is not False)
        kind, name = escape(widget["type"]), escape(widget["name"])
        return f'<input type="{kind}" name="{name}"{shown}{attrs}>'


def _written_in_python(jinja2: Jinja2) -> dict[str, InputTemplate]:
    env = jinja2.engine.env

    def source(name: str) -> str | None:
        try:
            return env.loader.get_source(env, name)[0].strip()
        except Exception:  # noqa: BLE001 — a template not found is one not replaced
            return None

    if (source("django/forms/widgets/input.html") != INPUT_SOURCE
            or source("django/forms/widgets/attrs.html") != ATTRS_SOURCE):
        return {}
    template = InputTemplate()
    names = (f"django/forms/widgets/{widget}.html" for widget in INPUT_WIDGETS)
    return {name: template for name in names if source(name) == INCLUDES_INPUT}


class JinjaFirstRenderer(BaseRenderer):
    def __init__(self) -> None:
        self._jinja2, self._django = Jinja2(), DjangoTemplates()
        self._in_python = _written_in_python(self._jinja2)

    def get_template(self, template_name: str):
        found = self._in_python.get(template_name)
        if found is not None:
            return found
        try:
            return self._jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self._django.get_template(template_name)
