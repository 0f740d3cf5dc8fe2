"""The cyclic garbage collector is off while WeasyPrint renders, and the render's own
garbage is collected before it returns: nothing left for whoever allocates next."""

import base64
import gc
import io

import pytest
from PIL import Image

from integrations.pdf.base import PdfRenderingError
from integrations.pdf.fetcher import StaticFilesFetcher
from integrations.pdf.weasy import WeasyPrintRenderer

BASE = "http://127.0.0.1:8000/"


def _png() -> str:
    out = io.BytesIO()
    Image.new("L", (2, 2)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


@pytest.fixture
def collector_during_fetch(monkeypatch):
    """gc.isenabled() each time the render fetched something."""
    seen = []
    fetch = StaticFilesFetcher.fetch

    def recording(self, url, headers=None):
        seen.append(gc.isenabled())
        return fetch(self, url, headers)

    monkeypatch.setattr(StaticFilesFetcher, "fetch", recording)
    return seen


def test_off_while_rendering_on_after_with_the_young_garbage_collected(collector_during_fetch):
    assert gc.isenabled()
    pdf = WeasyPrintRenderer().render(f'<p>سلام</p><img src="data:image/png;base64,{_png()}">',
                                      BASE)
    assert pdf.startswith(b"%PDF")
    assert collector_during_fetch == [False]
    assert gc.isenabled()
    # Collected at the end: the youngest generation holds only what came after.
    assert gc.get_count()[0] < gc.get_threshold()[0]


def test_on_again_after_a_failed_render():
    with pytest.raises(PdfRenderingError):
        WeasyPrintRenderer().render(
            '<link rel="stylesheet" href="https://cdn.example.com/x.css"><p>x</p>', BASE)
    assert gc.isenabled()


def test_left_off_when_it_was_off():
    gc.disable()
    try:
        WeasyPrintRenderer().render("<p>سلام</p>", BASE)
        assert not gc.isenabled()
    finally:
        gc.enable()
