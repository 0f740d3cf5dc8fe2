"""The QR code's path is drawn as rectangles, pixel for pixel as WeasyPrint's own path
parser drew it; any other path still goes to that parser."""

import io
import subprocess

import weasyprint.svg
from PIL import Image, ImageChops

from integrations.pdf import svg_rectangles
from integrations.pdf.qr import qr_svg
from integrations.pdf.weasy import WeasyPrintRenderer

BASE = "http://127.0.0.1:8000/"
URL = "https://eservices.example.ir/verify/?t=1234567897&c=48151623"


class _Stream:
    def __init__(self):
        self.rectangles = []

    def rectangle(self, *values):
        self.rectangles.append(values)


class _Svg:
    def __init__(self):
        self.stream = _Stream()


def _draw(data, monkeypatch):
    """(rectangles drawn here, paths handed to WeasyPrint's parser) for one path."""
    general = []
    monkeypatch.setattr(svg_rectangles, "_general_path",
                        lambda svg, node, font_size: general.append(node.get("d")))
    svg = _Svg()
    svg_rectangles.draw_path(svg, {"d": data}, 12)
    return svg.stream.rectangles, general


def test_the_qr_code_is_all_rectangles(monkeypatch):
    data = qr_svg(URL).split(' d="')[1].split('"')[0]
    rectangles, general = _draw(data, monkeypatch)
    assert general == []
    assert len(rectangles) == data.count("M") > 100
    assert rectangles[0] == (4, 4, 7, 1)  # the finder pattern's top edge, inside the quiet zone


def test_any_other_path_goes_to_weasyprints_parser(monkeypatch):
    for data in ("M0 0h2v2h-1", "M0 0h2v2h-2z", "M0 0 L 5 5", "M0 0h2v2h-2 M1 1"):
        assert _draw(data, monkeypatch) == ([], [data])


def _grey(pdf: bytes) -> Image.Image:
    png = subprocess.run(["pdftoppm", "-png", "-gray", "-r", "150", "-singlefile", "-"],
                         input=pdf, capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png)).convert("L")


def test_drawn_as_weasyprints_parser_drew_it(monkeypatch):
    page = f'<div style="width: 30mm">{qr_svg(URL)}</div>'
    fast = WeasyPrintRenderer().render(page, BASE)
    monkeypatch.setattr(svg_rectangles, "draw_path", svg_rectangles._general_path)
    monkeypatch.setitem(weasyprint.svg.TAGS, "path", svg_rectangles._general_path)
    parsed = WeasyPrintRenderer().render(page, BASE)
    assert weasyprint.svg.TAGS["path"] is svg_rectangles._general_path  # really the parser
    assert ImageChops.difference(_grey(fast), _grey(parsed)).getbbox() is None
    assert len(fast) < len(parsed)  # one `re` per rectangle instead of four path operators
