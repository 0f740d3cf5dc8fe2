"""QR codes as inline SVG: vector, so they print sharp at any size, and need no file."""

import qrcode

QUIET_ZONE = 4  # modules of white around the code, as the QR specification asks


def qr_svg(data: str) -> str:
    """An `<svg>` element encoding `data`; size it in CSS (its width/height are a default).

    Deterministic: the same data always gives the same string. Error correction M
    (15 %) survives a photocopy or a folded corner without growing the code much.
    One path of horizontal runs of dark modules ("M x y h w v 1 h -w z", in module units
    with the quiet zone included): the PDF renderer parses every path command in
    Python, and runs need a third of the commands that one square per module does.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    return (f'<svg width="{size}mm" height="{size}mm" version="1.1" viewBox="0 0 {size} {size}" '
            f'xmlns="http://www.w3.org/2000/svg"><path d="{"".join(runs)}"/></svg>')
