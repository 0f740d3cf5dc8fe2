"""Our documents' HTML parsed by expat (C) when it is well-formed XML, by WeasyPrint's
HTML5 parser (pure Python) otherwise.

The HTML5 parser took 4 ms of a 60 ms certificate, parsing markup we write ourselves;
expat takes a tenth of a millisecond. Where the two parsers could build different trees
from the same text, our templates are written so that they do not: void elements closed
(`<meta ... />`), a table's `<tbody>` written out, no block inside a `<p>`. What is not
well-formed XML (an `&nbsp;`, an unclosed `<br>`, a bare `&`) goes to the HTML5 parser,
as before; tests/integrations/pdf/test_parsing.py checks that each document template is
parsed to the tree the HTML5 parser builds.

Imported only inside WeasyPrintRenderer.render(), as importing WeasyPrint is slow.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import tinyhtml5

# The HTML5 doctype, which an XML parser does not take in lower case.
DOCTYPE = re.compile(r"\A\s*<!doctype html>", re.IGNORECASE)


def parse_xml(html: str) -> ElementTree.Element | None:
    """The document's root element, or None when it is not well-formed XML."""
    try:
        return ElementTree.fromstring(DOCTYPE.sub("", html, count=1))
    except ElementTree.ParseError:
        return None


def parse(html: str) -> ElementTree.Element:
    """The root element as WeasyPrint's own parsing would give it (HTML elements without
    a namespace, SVG in its own)."""
    root = parse_xml(html)
    if root is None or root.tag != "html":
        root = tinyhtml5.parse(html, namespace_html_elements=False)
    return root
