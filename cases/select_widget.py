"""A <select> whose options are rendered once per list of choices and kept.

Django renders every <option> through a template of its own: a filter form with a
few dozen choices (steps, districts, statuses) spent more time there than the page's
query. The options of a list of choices are the same for everyone, so they are rendered
once by Django's own Select and kept in the process, keyed by the choices themselves
(a changed list is a new key; nothing to invalidate); a page adds its field's attributes
and marks the chosen option.

The choices themselves are shared the same way (`KeptChoices`): Django deep-copies every
field's choices for each form it makes and normalizes a callable's list each time it is
read, ~0.3 ms for the staff search's four filters (60 steps among them) on every page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import forms
from django.utils import translation
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

MAX_KEPT = 64
_options: dict[tuple, str] = {}


class KeptChoices(BaseChoiceIterator):
    """A field's choices, normalized once and then shared by every copy of the field and
    its widget. From a callable (`KeptChoices(source)`): read on first use, when the
    apps are ready, and kept for the process until `forget()` — for lists that change
    only with a deploy (the flows' steps, the statuses). From a list
    (`KeptChoices.of(pairs)`): as given, for a form that sets its choices from a cache on
    each request (districts).

    Django leaves a BaseChoiceIterator as it is when normalizing, and a copy is the
    same object: nothing may change the kept pairs, and nothing in Django does."""

    def __init__(self, source: Callable[[], Iterable]) -> None:
        self.source = source
        self.pairs: tuple | None = None

    @classmethod
    def of(cls, pairs: Iterable) -> KeptChoices:
        kept = cls(lambda: pairs)
        kept.pairs = tuple(normalize_choices(list(pairs)))
        return kept

    def __iter__(self):
        if self.pairs is None:
            self.pairs = tuple(normalize_choices(list(self.source())))
        return iter(self.pairs)

    def forget(self) -> None:
        """Read the source again on next use (what it lists has changed)."""
        self.pairs = None

    def __copy__(self) -> KeptChoices:
        return self

    def __deepcopy__(self, memo) -> KeptChoices:
        return self


class KeptOptionsSelect(forms.Select):
    """forms.Select's output, with its options read from a kept rendering."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = tuple(self.choices)
        if any(isinstance(label, (list, tuple)) for _, label in choices):
            return super().render(name, value, attrs, renderer)  # groups: Django's own
        options = self._options(choices)
        for chosen in self.format_value(value):
            plain = f'<option value="{escape(chosen)}">'
            options = options.replace(plain, f'<option value="{escape(chosen)}" selected>', 1)
        opening = format_html('<select name="{}"{}>', name, _attributes(self.build_attrs(self.attrs, attrs)))
        return mark_safe(f"{opening}{options}</select>")

    def _options(self, choices: tuple) -> str:
        key = (type(self), translation.get_language(),
               tuple((str(k), str(label)) for k, label in choices))
        kept = _options.get(key)
        if kept is None:
            plain = forms.Select(choices=choices).render("_", None)
            kept = plain[plain.index(">") + 1:plain.rindex("</select>")]
            # Django's Select marks the empty value chosen when none is given; kept unmarked.
            kept = kept.replace('<option value="" selected>', '<option value="">', 1)
            if len(_options) >= MAX_KEPT:
                _options.clear()
            _options[key] = kept
        return kept


def _attributes(attrs: dict) -> SafeString:
    """As django/forms/widgets/attrs.html prints them: in order, True bare, False left out."""
    return format_html_join("", "{}", (
        (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
        for name, value in attrs.items() if value is not False and value is not None))
