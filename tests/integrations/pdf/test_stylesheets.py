"""The renderer parses a linked stylesheet once per thread, and each document still gets
exactly its own rules: nothing of one document's <style> reaches the next."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from integrations.pdf import stylesheets
from integrations.pdf.weasy import WeasyPrintRenderer

BASE = "http://127.0.0.1:8000/"
LINK = '<link rel="stylesheet" href="/static/css/certificate.css">'
A4 = (595, 842)  # points, as certificate.css's @page asks
A5 = (420, 595)


@pytest.fixture
def parsed(monkeypatch):
    """The sources WeasyPrint parses from now on (a URL, or "<style>"), in a cold cache."""
    sources = []
    parse = stylesheets._parse

    def counting(*args, **kwargs):
        sources.append(kwargs.get("url") or "<style>")
        return parse(*args, **kwargs)

    monkeypatch.setattr(stylesheets, "_parse", counting)
    monkeypatch.setattr(stylesheets, "_cache", stylesheets._ThreadCache())
    return sources


def page_size(pdf: bytes) -> tuple[int, int]:
    box = PdfReader(BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_a_linked_stylesheet_is_parsed_once_a_style_element_every_time(parsed):
    renderer = WeasyPrintRenderer()
    page = f"{LINK}<style>p {{ color: #333 }}</style><p>سلام</p>"
    for _ in range(3):
        assert renderer.render(page, BASE).startswith(b"%PDF")
    assert parsed == [f"{BASE}static/css/certificate.css", "<style>", "<style>", "<style>"]


def test_each_document_gets_its_own_page_rules_and_the_cached_ones(parsed):
    renderer = WeasyPrintRenderer()
    a5 = renderer.render(f"{LINK}<style>@page {{ size: A5 }}</style><p>سلام</p>", BASE)
    plain = renderer.render(f"{LINK}<p>سلام</p>", BASE)
    assert page_size(a5) == A5  # the document's own <style> wins over the linked sheet
    assert page_size(plain) == A4  # and is gone from the next document
    assert len([source for source in parsed if source != "<style>"]) == 1
