"""Django's template_rendered signal for Jinja2 templates, in tests only."""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

from django.template.backends.jinja2 import Template
from django.test.signals import template_rendered


@contextmanager
def instrumented():
    original = Template.render

    def render(self, context=None, request=None):
        # The context as the template sees it: the backend adds the request's and the
        # context processors' values before rendering.
        seen = dict(context or {})
        if request is not None:
            seen["request"] = request
        template_rendered.send(sender=self, template=SimpleNamespace(name=self.template.name),
                               context=seen)
        return original(self, context, request)

    Template.render = render
    try:
        yield
    finally:
        Template.render = original
