"""Page 1 of a certificate as a PNG, for «نمایش تصویر گواهی»: made once, then kept."""

from __future__ import annotations

import subprocess
from io import BytesIO

from django.core.files.base import ContentFile
from django.db.models import Q
from PIL import Image, UnidentifiedImageError

from cases.models import Case

from .models import Certificate
from .services import stored_pdf

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PDFTOPPM_TIMEOUT_SECONDS = 30
# 80 dpi: A4 comes out about 660×935 pixels, readable on a screen and small to send.
# Raw pixels out (PPM): pdftoppm's own PNG encoder compresses at its slowest level, which
# cost four times the drawing (50 of 65 ms) for 8 % fewer bytes.
PDFTOPPM_COMMAND = ["pdftoppm", "-r", "80", "-singlefile", "-f", "1", "-l", "1", "-"]
# zlib level 3: as fast as level 1 here, 2 % larger than level 6 and twice as fast.
PNG_COMPRESS_LEVEL = 3


class PreviewUnavailable(RuntimeError):
    """pdftoppm is missing, failed or took too long."""


def certificate_png(case: Case) -> bytes:
    """The stored preview of the case's certificate, rendered on first use.

    Certificate.DoesNotExist if the case has none; PreviewUnavailable if it cannot be drawn.
    """
    with ensure_preview(Certificate.objects.get(case=case)).preview.open("rb") as file:
        return file.read()


def ensure_preview(certificate: Certificate) -> Certificate:
    """`certificate` with its preview stored: drawn now if it had none.

    Two first requests at once may both render; only one file is kept and both get it.
    """
    if certificate.preview:
        return certificate
    png = render_first_page(stored_pdf(certificate))
    certificate.preview.save("preview.png", ContentFile(png), save=False)
    stored = Certificate.objects.filter(
        Q(preview__isnull=True) | Q(preview=""), pk=certificate.pk
    ).update(preview=certificate.preview.name)
    if not stored:
        certificate.preview.delete(save=False)  # another request stored its own first
        certificate.refresh_from_db(fields=["preview"])
    return certificate


def render_first_page(pdf: bytes) -> bytes:
    """PNG of page 1 of `pdf`: drawn by poppler's pdftoppm (stdin to stdout), encoded here."""
    try:
        result = subprocess.run(
            PDFTOPPM_COMMAND,
            input=pdf,
            capture_output=True,
            timeout=PDFTOPPM_TIMEOUT_SECONDS,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise PreviewUnavailable(f"pdftoppm failed: {error}") from error
    try:
        image = Image.open(BytesIO(result.stdout))
        image.load()
    except (UnidentifiedImageError, OSError) as error:
        raise PreviewUnavailable("pdftoppm produced no image") from error
    out = BytesIO()
    image.save(out, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue()

