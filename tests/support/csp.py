"""What a strict Content-Security-Policy would block in served HTML or a template: inline
code (the browser audit and the security-headers tests read pages with it)."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class InlineFinder(HTMLParser):
    """Finds inline script, inline style and event-handler attributes in served HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            kind = dict(attrs).get("type", "")
            if kind not in ("application/json", "application/ld+json"):  # data, not code
                self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style> element")
        if "style" in names:
            self.found.append(f"style= on <{tag}>")
        self.found += [f"{name}= on <{tag}>" for name in names if re.fullmatch(r"on[a-z]+", name)]


def inline_code(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found
