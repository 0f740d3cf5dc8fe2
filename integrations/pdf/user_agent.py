"""weasyprint.HTML for our documents: parsed by parsing.py, and styled with WeasyPrint's
own HTML user-agent stylesheet less the pseudo-elements our documents never draw, so
that the cascade does not compute them for every element.

WeasyPrint's html5_ua.css styles `::footnote-call`, `::footnote-marker`, `::note-call`,
`::note-marker`, `::note-callback` and `::marker` on every element: each element got six
computed pseudo-element styles, nine in ten of all the styles a certificate computes.
Our documents have no footnotes or notes (`float: footnote`), so those five rules go;
`::marker` is kept for list items, the only boxes that draw one here (`display:
list-item` elsewhere would lose the marker's tabular digits and `white-space: pre`).

Imported only inside WeasyPrintRenderer.render(), as importing WeasyPrint is slow.
"""

from __future__ import annotations

import re

import cssselect2
import weasyprint
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA, UA_FORM_STYLESHEET

from .parsing import parse

# A whole line of html5_ua.css that styles one of these pseudo-elements on any element.
UNDRAWN_PSEUDO_RULE = re.compile(r"^::(?:footnote|note)-[a-z-]+ *\{[^}\n]*\} *$", re.M)
ANY_MARKER_RULE = re.compile(r"^::marker(?= *\{)", re.M)


def document_ua_css(source: str = UA) -> str:
    """`source` (WeasyPrint's user-agent CSS) as our documents use it."""
    return ANY_MARKER_RULE.sub("li::marker", UNDRAWN_PSEUDO_RULE.sub("", source))


# Its @counter-style rules land in a dict of their own: WeasyPrint's UA_COUNTER_STYLE,
# which every document starts from, has them already (and refuses `disc` twice).
DOCUMENT_UA_STYLESHEET = weasyprint.CSS(string=document_ua_css(), counter_style=CounterStyle())


class DocumentHTML(weasyprint.HTML):
    """weasyprint.HTML from a string, parsed by parsing.parse, with the user-agent
    stylesheet above."""

    def __init__(self, string: str, base_url: str, url_fetcher, media_type: str = "print"):
        # What weasyprint.HTML.__init__ sets (weasyprint 70), the tree from our parser.
        root = parse(string)
        self.base_url = weasyprint._find_base_url(root, base_url)
        self.url_fetcher = url_fetcher
        self.media_type = media_type
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
            root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms=False):
        # The method WeasyPrint's cascade asks for its user-agent sheets (weasyprint 70).
        return [DOCUMENT_UA_STYLESHEET, UA_FORM_STYLESHEET] if forms else [DOCUMENT_UA_STYLESHEET]
