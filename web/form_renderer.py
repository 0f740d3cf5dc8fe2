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
where the two templates cost ~30 µs a field; so are the radio and checkbox groups
(multiple_input.html and input_option.html), ~90 → ~40 µs for three radios. Only while
Django ships those templates as they are here: each is compared with its expected text
when the renderer is made, and a template that differs is rendered by Jinja2 as before.
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
INCLUDES_MULTIPLE = '{% include "django/forms/widgets/multiple_input.html" %}'
INCLUDES_OPTION = '{% include "django/forms/widgets/input_option.html" %}'
MULTIPLE_SOURCE = (
    '{% set id = widget.attrs.id %}<div{% if id %} id="{{ id }}"{% endif %}'
    '{% if widget.attrs.class %} class="{{ widget.attrs.class }}"{% endif %}>'
    "{% for group, options, index in widget.optgroups %}{% if group %}\n"
    "  <div><label>{{ group }}</label>{% endif %}{% for widget in options %}<div>\n"
    "    {% include widget.template_name %}</div>{% endfor %}{% if group %}\n"
    "  </div>{% endif %}{% endfor %}\n</div>")
OPTION_SOURCE = (
    '{% if widget.wrap_label %}<label{% if widget.attrs.id %} for="{{ widget.attrs.id }}"'
    '{% endif %}>{% endif %}{% include "django/forms/widgets/input.html" %}'
    "{% if widget.wrap_label %} {{ widget.label }}</label>{% endif %}")
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


class MultipleInputTemplate:
    """multiple_input.html (radios, checkboxes) with each option's input_option.html, as
    Jinja2 prints them; an option of another template goes to `jinja2` whole."""

    def __init__(self, options: frozenset[str], jinja2) -> None:
        self.options, self.jinja2, self.input = options, jinja2, InputTemplate()

    def render(self, context: dict, request=None) -> str:
        widget = context["widget"]
        groups = widget["optgroups"]
        if any(option["template_name"] not in self.options
               for _group, options, _index in groups for option in options):
            return self.jinja2.render(context, request)
        attrs = widget["attrs"]
        out = ["<div"]
        if attrs.get("id"):
            out.append(f' id="{escape(attrs["id"])}"')
        if attrs.get("class"):
            out.append(f' class="{escape(attrs["class"])}"')
        out.append(">")
        for group, options, _index in groups:
            if group:
                out.append(f"\n  <div><label>{escape(group)}</label>")
            out.extend(f"<div>\n    {self._option(option)}</div>" for option in options)
            if group:
                out.append("\n  </div>")
        out.append("\n</div>")
        return "".join(out)

    def _option(self, option: dict) -> str:
        field = self.input.render({"widget": option})
        if not option["wrap_label"]:
            return field
        target = option["attrs"].get("id")
        label_for = f' for="{escape(target)}"' if target else ""
        return f"<label{label_for}>{field} {escape(option['label'])}</label>"


def _written_in_python(jinja2: Jinja2) -> dict:
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
    found: dict = {name: template for name in names if source(name) == INCLUDES_INPUT}
    if (source("django/forms/widgets/multiple_input.html") != MULTIPLE_SOURCE
            or source("django/forms/widgets/input_option.html") != OPTION_SOURCE):
        return found
    options = frozenset(f"django/forms/widgets/{kind}_option.html" for kind in ("radio", "checkbox")
                        if source(f"django/forms/widgets/{kind}_option.html") == INCLUDES_OPTION)
    for kind in ("radio", "checkbox_select"):
        name = f"django/forms/widgets/{kind}.html"
        if source(name) == INCLUDES_MULTIPLE:
            found[name] = MultipleInputTemplate(options, jinja2.get_template(name))
    return found


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
