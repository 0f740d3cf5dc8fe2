"""A guard that records every SQL statement run while a template renders.

A lazy queryset or a related object first read by a template (`{{ case.property.address }}`,
`|length` on a queryset, a `perms` lookup, a form field's choices) runs its query in the
middle of rendering, where no query budget of the view sees it coming and a cached
fragment hides it. Inside `no_queries_while_rendering()` such statements are collected
with the template that ran them; the view's own queries are not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.template.backends.jinja2 import Template as Jinja2Template


@contextmanager
def no_queries_while_rendering() -> Iterator[list[tuple[str, str]]]:
    """Yields a list that fills with (template name, SQL) for each statement a template ran."""
    seen: list[tuple[str, str]] = []
    rendering: list[str] = []
    original = Jinja2Template.render

    def render(template, context=None, request=None):
        # The context processors run inside render too: their reads are the template's.
        rendering.append(template.template.name)
        try:
            return original(template, context, request)
        finally:
            rendering.pop()

    def wrapper(execute, sql, params, many, context):
        if rendering:
            seen.append((rendering[0], sql))
        return execute(sql, params, many, context)

    Jinja2Template.render = render
    try:
        with connection.execute_wrapper(wrapper):
            yield seen
    finally:
        Jinja2Template.render = original
