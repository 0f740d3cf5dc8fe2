"""QR codes as inline SVG: vector, so they print sharp at any size, and need no file."""

import qrcode
from qrcode.image.svg import SvgPathImage


def qr_svg(data: str) -> str:
    """An `<svg>` element encoding `data`; size it in CSS (its width/height are a default).

    Deterministic: the same data always gives the same string. Error correction M
    (15 %) survives a photocopy or a folded corner without growing the code much.
    """
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,  # the quiet zone the QR specification asks for
        image_factory=SvgPathImage,
    )
    code.add_data(data)
    code.make(fit=True)
    return code.make_image().to_string(encoding="unicode")
