"""Accept an uploaded file only for what its bytes are, and hand back clean bytes.

The type is read from the content (filetype), never from the name or the browser's
content type. Images are decoded and re-encoded: that drops EXIF (GPS, camera serial),
comments and anything appended or hidden in the file (polyglots), and caps their size.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps

from cases.persian import to_persian_digits

from .scanning import scan_upload
from .strict_images import strict_decoding

logger = logging.getLogger(__name__)

MAX_SIDE = 2400  # px on the long side: sharp enough to read a card or a deed
JPEG_QUALITY = 85
# Checked before decoding. A phone photo is 12-50 MP; a 5 MB file claiming more is a
# decompression bomb in all likelihood (Pillow's own guard is also honoured below).
MAX_IMAGE_PIXELS = 64_000_000

IMAGE_TYPES = {"image/jpeg": ("jpg", "JPEG"), "image/png": ("png", "PNG")}
PDF_TYPE = "application/pdf"

_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    extension: str  # without the dot: "jpg", "png", "pdf"
    content_type: str
    sha256: str  # of `content`, the bytes that are stored
    original_name: str


def clean_upload(uploaded_file, allow_pdf: bool = False) -> CleanFile:
    """Validate and clean one upload; raise ValidationError with a Persian message."""
    name = display_name(getattr(uploaded_file, "name", "") or "")
    max_bytes = settings.UPLOAD_MAX_BYTES
    if not uploaded_file.size:
        raise _refuse(name, "خالی است", "empty")
    content = b"" if uploaded_file.size > max_bytes else _read_at_most(uploaded_file, max_bytes)
    if uploaded_file.size > max_bytes or len(content) > max_bytes:
        raise _refuse(name, f"حجم فایل بیش از {size_label(max_bytes)} است", "too_large")
    if not content:
        raise _refuse(name, "خالی است", "empty")
    scan_upload(content, name)

    detected = filetype.guess(content)
    mime = detected.mime if detected else ""
    if mime in IMAGE_TYPES:
        content = _reencode_image(content, mime, name)
        extension = IMAGE_TYPES[mime][0]
    elif mime == PDF_TYPE and allow_pdf:
        extension = "pdf"
    else:
        allowed = "JPEG یا PNG یا PDF" if allow_pdf else "JPEG یا PNG"
        raise _refuse(name, f"فقط تصویر {allowed} پذیرفته می‌شود", "file_type")
    return CleanFile(
        content=content,
        extension=extension,
        content_type=mime,
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=name,
    )


def _reencode_image(content: bytes, mime: str, name: str) -> bytes:
    pillow_format = IMAGE_TYPES[mime][1]
    pixel_limit = min(MAX_IMAGE_PIXELS, Image.MAX_IMAGE_PIXELS or MAX_IMAGE_PIXELS)
    try:
        with strict_decoding(), Image.open(io.BytesIO(content)) as probe:
            if probe.format != pillow_format:
                raise _refuse(name, "فقط تصویر JPEG یا PNG پذیرفته می‌شود", "file_type")
            if probe.width * probe.height > pixel_limit:
                raise _too_many_pixels(name)
            probe.verify()
        with strict_decoding(), Image.open(io.BytesIO(content)) as image:
            # JPEG can decode straight at a fraction of its size: less memory, same result.
            image.draft("RGB", _fit(image.size, MAX_SIDE))
            image.load()
            upright = ImageOps.exif_transpose(_convert_mode(image, pillow_format))
            upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            # A new image of pixels only: no info dict, EXIF, ICC profile or comments.
            clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise _too_many_pixels(name) from None
    except Exception as error:  # Pillow raises many kinds on hostile input
        logger.info("document_image_unreadable", extra={"error": repr(error)})
        raise _refuse(name, "خوانده نشد؛ ممکن است خراب باشد", "unreadable") from None

    out = io.BytesIO()
    if pillow_format == "JPEG":
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        clean.save(out, "PNG", optimize=True)
    return out.getvalue()


def _fit(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """`size` scaled down (never up) so that its long side is at most max_side."""
    scale = min(1.0, max_side / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _convert_mode(image: Image.Image, pillow_format: str) -> Image.Image:
    """A mode the output format stores as is (and that resizes smoothly, unlike "P")."""
    if image.mode.startswith("I"):
        # 16/32-bit greyscale (scanners): scale to 8 bits, or conversion clips to white.
        image = image.point(lambda value: value / 256).convert("L")
    if pillow_format == "JPEG":
        wanted = image.mode if image.mode in ("RGB", "L") else "RGB"
    elif image.mode in ("RGB", "RGBA", "L", "LA"):
        wanted = image.mode
    else:
        transparent = "transparency" in image.info or "A" in image.getbands()
        wanted = "RGBA" if transparent else "RGB"
    if image.mode == wanted:
        return image
    converted = image.convert(wanted)
    # exif_transpose reads the orientation from the info the conversion kept or dropped.
    converted.info = dict(image.info)
    return converted


def _read_at_most(uploaded_file, max_bytes: int) -> bytes:
    """Read up to max_bytes + 1 bytes: enough to tell an oversized file, no more."""
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    chunks, total = [], 0
    for chunk in uploaded_file.chunks():
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            break
    return b"".join(chunks)


def display_name(raw: str) -> str:
    """The name the citizen's device gave, safe to show: no path, no control characters."""
    base = re.split(r"[\\/]", raw)[-1]
    return _UNSAFE_NAME_CHARS.sub("", base).strip()[:200] or "بدون نام"


def size_label(num_bytes: int) -> str:
    """5242880 → "۵ مگابایت"; smaller limits in kilobytes or bytes."""
    for unit_bytes, unit in ((1024 * 1024, "مگابایت"), (1024, "کیلوبایت")):
        if num_bytes >= unit_bytes:
            amount = f"{num_bytes / unit_bytes:.1f}".removesuffix(".0").replace(".", "٫")
            return f"{to_persian_digits(amount)} {unit}"
    return f"{to_persian_digits(num_bytes)} بایت"


def _refuse(name: str, problem: str, code: str) -> ValidationError:
    return ValidationError(f"فایل «{name}»: {problem}.", code=code)


def _too_many_pixels(name: str) -> ValidationError:
    return _refuse(name, "ابعاد تصویر بیش از حد مجاز است", "too_many_pixels")
