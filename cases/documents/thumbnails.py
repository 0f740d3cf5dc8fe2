"""Small JPEGs of image documents for the staff pages: made on first request, then kept.

Made from the stored file, which every upload has already scanned (scanning.py fails
closed before anything is stored), decoded and re-encoded (validation.py): there is no
scan state to wait for. Kept in the document's own private store, served only through
its signed link (views.thumbnail), and deleted with it (models, cases/retention.py).
"""

from __future__ import annotations

import io
import logging

from django.core.files.base import ContentFile
from django.db.models import Q, QuerySet
from PIL import Image

from .models import CaseDocument
from .strict_images import strict_decoding
from .validation import IMAGE_TYPES, MAX_IMAGE_PIXELS

logger = logging.getLogger(__name__)

SIDE = 320  # px on the long side: sharp in a phone's two-column grid at twice the density
QUALITY = 70  # 10–25 KB for a photo or a scan of that size
CONTENT_TYPE = "image/jpeg"
UNREADABLE = 0  # thumbnail_width and _height of an image that cannot be decoded


class UnreadableImage(ValueError):
    """The stored bytes are no image Pillow decodes within our limits."""


def may_have_thumbnail(document: CaseDocument) -> bool:
    """An image, its file still kept (retention empties it), not known to be unreadable."""
    return (document.content_type in IMAGE_TYPES and bool(document.file)
            and document.thumbnail_width != UNREADABLE)


def thumbnail_bytes(document: CaseDocument) -> bytes | None:
    """The document's thumbnail (JPEG), made and stored now if it has none yet.

    None when it can have none: not an image, its file purged, or an image that cannot
    be decoded (recorded, so that pages stop offering one). Errors of the store itself
    (FileNotFoundError among them) propagate and record nothing: they may pass.
    """
    if not may_have_thumbnail(document):
        return None
    if document.thumbnail:
        with document.thumbnail.open("rb") as stored:
            return stored.read()
    with document.file.open("rb") as original:
        content = original.read()
    try:
        thumbnail, (width, height) = render_thumbnail(content)
    except UnreadableImage as error:
        logger.warning("document_thumbnail_unreadable",
                       extra={"document": document.pk, "error": str(error)})
        _still_without(document).update(thumbnail_width=UNREADABLE,
                                         thumbnail_height=UNREADABLE)
        document.thumbnail_width = document.thumbnail_height = UNREADABLE
        return None
    document.thumbnail.save("thumbnail.jpg", ContentFile(thumbnail), save=False)
    stored = _still_without(document).update(
        thumbnail=document.thumbnail.name, thumbnail_width=width, thumbnail_height=height)
    if not stored:
        # Another first request stored its own (the same picture), or the document went:
        # keep no second file.
        document.thumbnail.delete(save=False)
    else:
        document.thumbnail_width, document.thumbnail_height = width, height
    return thumbnail


def render_thumbnail(content: bytes) -> tuple[bytes, tuple[int, int]]:
    """A JPEG at most SIDE px on its long side (never enlarged), and its size."""
    out = io.BytesIO()
    try:
        with strict_decoding(), Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise UnreadableImage(f"{image.width}×{image.height} pixels")
            # thumbnail() lets a JPEG decode straight at a fraction of its size.
            image.thumbnail((SIDE, SIDE), Image.Resampling.LANCZOS)
            small = _opaque(image)
            # Progressive: on a slow line the whole picture shows at once, then sharpens.
            small.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
            return out.getvalue(), small.size
    except UnreadableImage:
        raise
    except Exception as error:  # Pillow raises many kinds on damaged input
        raise UnreadableImage(repr(error)) from None


def _opaque(image: Image.Image) -> Image.Image:
    """RGB or greyscale, as JPEG stores them; transparency laid on white, as a page shows it."""
    if image.mode in ("RGB", "L"):
        return image
    if "A" not in image.getbands() and "transparency" not in image.info:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _still_without(document: CaseDocument) -> QuerySet[CaseDocument]:
    """The document's row while it has no thumbnail nor a verdict, and its file is kept:
    a purge (cases/retention.py) that ran meanwhile must not get a thumbnail back."""
    return (CaseDocument.objects
            .filter(Q(thumbnail__isnull=True) | Q(thumbnail=""), pk=document.pk,
                    thumbnail_width__isnull=True)
            .exclude(file=""))
