"""The documents' HTML takes the fast parser and comes out as the HTML5 parser's tree;
what is not well-formed XML still goes to the HTML5 parser."""

import pytest
import time_machine
import tinyhtml5

from cases.certificates import versions
from cases.certificates.services import issue_inquiry_answer, issue_transfer_certificate
from integrations.pdf.parsing import parse, parse_xml
from tests.support.certificates import (
    APPROVED,
    ISSUED,
    NO_FEES,
    RECORDING_RENDERER,
    RecordingRenderer,
    inquiry_case,
    ready_case,
)

XMLNS = "{http://www.w3.org/2000/xmlns/}"


def shape(element, depth: int = 0, out: list | None = None) -> list[tuple]:
    """Each element's depth, tag, attributes and text, whitespace-only text left out (the
    parsers place the blank lines around <head> and after </body> differently, and blank
    text there draws nothing)."""
    out = [] if out is None else out
    attributes = {k: v for k, v in element.attrib.items() if not k.startswith(XMLNS)}
    out.append((depth, element.tag, attributes, _text(element.text), _text(element.tail)))
    for child in element:
        shape(child, depth + 1, out)
    return out


def _text(text: str | None) -> str | None:
    return text if text and text.strip() else None


def _transfer() -> None:
    issue_transfer_certificate(ready_case(), inspection=APPROVED, fees=NO_FEES)


def _reissued() -> None:
    case = ready_case()
    issue_transfer_certificate(case, inspection=APPROVED, fees=NO_FEES)
    versions.reissue_certificate(case, actor=None, reason="اصلاح نشانی")


def _inquiry_answer() -> None:
    issue_inquiry_answer(inquiry_case())


@pytest.mark.django_db
@pytest.mark.parametrize("issue", [_transfer, _reissued, _inquiry_answer])
def test_each_document_parses_as_xml_to_the_html5_parsers_tree(issue, settings):
    settings.PDF_RENDERER = RECORDING_RENDERER
    RecordingRenderer.rendered.clear()
    with time_machine.travel(ISSUED, tick=False):
        issue()
    html = RecordingRenderer.rendered[-1]
    root = parse_xml(html)
    assert root is not None, "a document template is no longer well-formed XML"
    assert shape(root) == shape(tinyhtml5.parse(html, namespace_html_elements=False))
    assert any(e.tag == "{http://www.w3.org/2000/svg}svg" for e in root.iter())


def test_a_tree_the_parsers_build_differently_is_caught_by_the_comparison():
    """A block inside a paragraph: well-formed XML, but HTML closes the paragraph first."""
    html = '<!doctype html><html><head></head><body><p>a<div>b</div></p></body></html>'
    assert shape(parse_xml(html)) != shape(tinyhtml5.parse(html, namespace_html_elements=False))


@pytest.mark.parametrize("html", [
    "<!doctype html><html><body><p>a&nbsp;b<br></p></body></html>",  # entity, void element
    "<p>only a fragment</p>",  # well-formed, but no <html> root
])
def test_what_is_not_an_xml_document_goes_to_the_html5_parser(html):
    root = parse(html)
    assert root.tag == "html"
    assert [e.tag for e in root.iter() if e.tag in ("head", "body", "p")] == ["head", "body", "p"]
