"""QR codes as inline SVG: vector, so they print sharp at any size, and need no file."""

from collections.abc import Iterator

import qrcode

QUIET_ZONE = 4  # modules of white around the code, as the QR specification asks


def qr_svg(data: str) -> str:
    """An `<svg>` element encoding `data`; size it in CSS (its width/height are a default).

    Deterministic: the same data always gives the same string. Error correction M
    (15 %) survives a photocopy or a folded corner without growing the code much.
    One path of rectangles of dark modules, "M x y h width v height h -width" in module
    units with the quiet zone included: horizontal runs, stacked where the rows below
    repeat them: a third of the rectangles of one square per module (a fill closes each
    rectangle itself). The PDF renderer draws a path of only such rectangles as PDF
    rectangles (svg_rectangles.py) instead of parsing it command by command.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    rectangles = []  # [x, y, width, height], in the order their first row is met
    growing = {}  # (x, width) -> the rectangle that ended on the row above, if any
    for y, row in enumerate(matrix):
        for x, width in _runs(row):
            rectangle = growing.get((x, width))
            if rectangle is not None and rectangle[1] + rectangle[3] == y:
                rectangle[3] += 1
            else:
                growing[(x, width)] = rectangle = [x, y, width, 1]
                rectangles.append(rectangle)
    path = "".join(f"M{x} {y}h{width}v{height}h-{width}" for x, y, width, height in rectangles)
    return (f'<svg width="{size}mm" height="{size}mm" version="1.1" viewBox="0 0 {size} {size}" '
            f'xmlns="http://www.w3.org/2000/svg"><path d="{path}"/></svg>')


def _runs(row: list[bool]) -> Iterator[tuple[int, int]]:
    """(start, length) of each run of dark modules in `row`."""
    x = 0
    while x < len(row):
        if not row[x]:
            x += 1
            continue
        start = x
        while x < len(row) and row[x]:
            x += 1
        yield start, x - start
