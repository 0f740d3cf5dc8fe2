"""Read pages the way a person does: by visible labels and button names.

MANUAL.md's labels are a contract, so tests find controls by those words (folded
as the manual asks: أ→ا, ي→ی, ك→ک, ZWNJ→space) rather than by ids or field names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

FOLD = str.maketrans({"أ": "ا", "ي": "ی", "ك": "ک", "\u200c": " "})


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(FOLD)).strip()


@dataclass
class Control:
    tag: str
    attrs: dict[str, str]
    text: str = ""

    @property
    def name(self) -> str:
        return self.attrs.get("name", "")


@dataclass
class Form:
    attrs: dict[str, str]
    controls: list[Control] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # label text → input id

    def enabled_choices(self, name: str) -> list[Control]:
        return [c for c in self.controls if c.name == name and "disabled" not in c.attrs]

    def button(self, label: str) -> Control:
        for c in self.controls:
            if c.tag == "button" and fold(label) == fold(c.text):
                return c
        raise AssertionError(f"no button {label!r} in form")

    def field_name(self, label: str) -> str:
        for text, target in self.labels.items():
            if fold(label) == fold(text):
                for c in self.controls:
                    if c.attrs.get("id") == target:
                        return c.name
        raise AssertionError(f"no field labelled {label!r}; labels: {list(self.labels)}")

    def control(self, label: str) -> Control:
        for text, target in self.labels.items():
            if fold(label) == fold(text):
                for c in self.controls:
                    if c.attrs.get("id") == target:
                        return c
        raise AssertionError(f"no control labelled {label!r}; labels: {list(self.labels)}")

    def data(self, values: dict[str, str], button: str | None = None) -> dict[str, str]:
        """POST data: hidden inputs as the page has them, labelled fields as given.

        A radio button or checkbox is ticked by giving its label with the value True.
        """
        out = {}
        for c in self.controls:  # what the browser would send untouched
            kind = c.attrs.get("type", "text")
            if c.tag != "input" or not c.name or "disabled" in c.attrs:
                continue
            if kind in ("checkbox", "radio"):
                if "checked" in c.attrs:
                    out[c.name] = c.attrs.get("value", "on")
            elif kind not in ("submit", "button", "file", "reset", "image"):
                out[c.name] = c.attrs.get("value", "")
        for label, value in values.items():
            if value is True:
                c = self.control(label)
                out[c.name] = c.attrs.get("value", "on")
            else:
                out[self.field_name(label)] = value
        if button:
            b = self.button(button)
            if b.name:
                out[b.name] = b.attrs.get("value", "")
        return out


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self.links: list[Control] = []
        self.text_parts: list[str] = []
        self._form: Form | None = None
        self._open: list[tuple[Control, str | None]] = []  # button/a/label being read

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(attrs)
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and self._form is not None:
            self._form.controls.append(Control(tag, attrs))
            if tag == "button":
                self._open.append((self._form.controls[-1], None))
        if tag == "a":
            self._open.append((Control("a", attrs), None))
        elif tag == "label":
            self._open.append((Control("label", attrs), attrs.get("for")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if self._open and self._open[-1][0].tag == tag:
            control, target = self._open.pop()
            if tag == "a":
                self.links.append(control)
            elif tag == "label" and target and self.forms:
                self.forms[-1].labels[control.text.strip()] = target

    def handle_data(self, data):
        self.text_parts.append(data)
        for control, _ in self._open:
            control.text += data


class Page:
    def __init__(self, html: str):
        self.html = html
        parser = _PageParser()
        parser.feed(html)
        self.forms = parser.forms
        self.links = parser.links
        self.text = fold(" ".join(parser.text_parts))

    @classmethod
    def of(cls, response) -> "Page":
        return cls(response.content.decode())

    def form_with_button(self, label: str) -> Form:
        for form in self.forms:
            try:
                form.button(label)
                return form
            except AssertionError:
                continue
        raise AssertionError(f"no form with a button {label!r}")

    def link(self, label: str) -> str:
        for a in self.links:
            if fold(a.text) == fold(label):
                return a.attrs["href"]
        raise AssertionError(f"no link {label!r}; links: {[fold(a.text) for a in self.links]}")

    def has(self, text: str) -> bool:
        return fold(text) in self.text
