"""The QR code's SVG path drawn as the rectangles it is made of, without WeasyPrint's
general path parser.

integrations/pdf/qr.py writes a QR code as one path of rectangles, "M x y h w v h h -w"
each. WeasyPrint parses every path command in Python (number by number, through regular
expressions): for a certificate's QR, some 900 commands, a tenth of the whole render.
A path made only of such rectangles is drawn here as PDF rectangles (`re`), which fill
the same area; any other path goes to WeasyPrint's own parser, unchanged.

Imported only inside WeasyPrintRenderer.render(), as importing WeasyPrint is slow.
"""

from __future__ import annotations

import re

import weasyprint.svg

# "M x y h w v h h -w": the last run goes back by the same width, closing a rectangle.
RECTANGLE = re.compile(r"M(\d+) (\d+)h(\d+)v(\d+)h-\3")
ONLY_RECTANGLES = re.compile(r"(?:M\d+ \d+h(\d+)v\d+h-\1)+")

_general_path = weasyprint.svg.TAGS["path"]


def draw_path(svg, node, font_size) -> None:
    """WeasyPrint's drawing of a <path> node (its signature: weasyprint.svg.TAGS)."""
    data = node.get("d", "")
    if not ONLY_RECTANGLES.fullmatch(data):
        _general_path(svg, node, font_size)
        return
    rectangle = svg.stream.rectangle
    for x, y, width, height in RECTANGLE.findall(data):
        rectangle(int(x), int(y), int(width), int(height))


def install_rectangle_paths() -> None:
    """Draw <path> nodes with draw_path from now on (idempotent)."""
    weasyprint.svg.TAGS["path"] = draw_path
