"""`{{ field_row(form.x) }}`: one form field with its label, help, error and input.

The ids match what Django 5.2 puts in the widget's aria-describedby (<id>_helptext,
<id>_error) and it sets aria-invalid itself. A group of radios or checkboxes (a widget
with use_fieldset) is a <fieldset> whose <legend> names it: the fieldset carries
aria-describedby (as Django's own field.html does), each input aria-invalid, and the error
summary links to its first input (<id>_0), since such a group has no single id a link
could point at.

Written with format_html rather than included as a template: a form page shows up to a
dozen fields, and Django's include costs ~50 µs a field before its widget renders.
"""

from __future__ import annotations

from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def field_row(field: BoundField) -> SafeString:
    invalid = " field-invalid" if field.errors else ""
    help_and_error = _help(field) + _error(field)
    if field.use_fieldset:
        described = (format_html(' aria-describedby="{}"', field.aria_describedby)
                     if field.aria_describedby else "")
        choices = format_html_join("", '<div class="choice">{}</div>', ((c,) for c in field))
        return format_html(
            '<fieldset class="field{}" id="{}_group"{}>\n  <legend>{}</legend>\n  {}\n'
            '  {}\n</fieldset>', invalid, field.auto_id, described, field.label,
            help_and_error, choices)
    return format_html(
        '<div class="field{}">\n  <label for="{}">{}</label>\n  {}\n  {}\n</div>',
        invalid, field.id_for_label, field.label, help_and_error, field)


def _help(field: BoundField) -> SafeString:
    if not field.help_text:
        return mark_safe("")
    return format_html('<p class="help" id="{}_helptext">{}</p>', field.auto_id,
                       field.help_text)


def _error(field: BoundField) -> SafeString:
    if not field.errors:
        return mark_safe("")
    return format_html(
        '<p class="field-error" id="{}_error"><span class="visually-hidden">خطا: </span>{}</p>',
        field.auto_id, format_html_join("", "{} ", ((e,) for e in field.errors)))
