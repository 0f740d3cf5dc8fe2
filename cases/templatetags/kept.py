"""`{% kept value … %}…{% endkept %}`: a piece of a template rendered once per process and
kept, per language, address prefix and the values named.

For the page shell's pieces that are the same for everyone (static links, the site's
name and menu labels, a role's menu link): on every page they cost more to render (each
`{% static %}`, `{% url %}` and `{% translate %}` is a call through Django's machinery)
than to look up. Only what the values name may vary inside: never put a person's own
data (a name, a token, a path) inside a kept piece — tests/project/
test_cached_fragments_private.py opens the pages as two people to check it.
"""

from __future__ import annotations

from django import template
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

MAX_KEPT = 64


class KeptNode(template.Node):
    def __init__(self, nodelist: template.NodeList, values: list) -> None:
        self.nodelist, self.values = nodelist, values
        self.kept: dict[tuple, SafeString] = {}  # per compiled template, so per process

    def render(self, context) -> SafeString:
        key = (translation.get_language(), get_script_prefix(),
               *(value.resolve(context) for value in self.values))
        html = self.kept.get(key)
        if html is None:
            html = mark_safe(self.nodelist.render(context))
            if len(self.kept) >= MAX_KEPT:
                self.kept.clear()
            self.kept[key] = html
        return html


@register.tag
def kept(parser, token) -> KeptNode:
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, values)
