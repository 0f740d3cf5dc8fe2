"""Files for the documents tests, made on the spot: real images, disguised scripts, bombs."""

from __future__ import annotations

import datetime
import functools
import io
import random
import struct
import zlib

import factory
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from cases.documents.models import CaseDocument
from tests.support.factories import CaseFactory

PHP_PAYLOAD = b"<?php system($_GET['x']); ?>"
# The antivirus industry's test file: every scanner names it, and it harms nothing.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
GPS = {1: "N", 2: (35.0, 41.0, 12.5), 3: "E", 4: (51.0, 25.0, 3.0)}  # Tehran
ORIENTATION_TAG = 0x0112
ROTATE_90_CW = 6


def past_backup_window() -> datetime.datetime:
    """A moment when files marked for deletion now are due for the sweep."""
    return timezone.now() + datetime.timedelta(hours=settings.FILE_DELETION_DELAY_HOURS,
                                               minutes=1)


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_with_gps(size: tuple[int, int] = (320, 240), orientation: int | None = None) -> bytes:
    """A phone-like photo: camera make, GPS position and (optionally) an orientation."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = GPS
    if orientation:
        exif[ORIENTATION_TAG] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (64, 64), noisy: bool = False) -> bytes:
    """A PNG; `noisy` makes it incompressible (a few KB per 32x32)."""
    if noisy:
        image = Image.frombytes("RGB", size, random.Random(0).randbytes(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (10, 120, 200))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def script_named_jpg() -> SimpleUploadedFile:
    return upload("evil.jpg", PHP_PAYLOAD, "image/jpeg")


def jpeg_with_appended_script() -> bytes:
    """A polyglot: a valid JPEG that also carries a PHP script after its end marker."""
    return jpeg_with_gps((64, 64)) + PHP_PAYLOAD


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
            b"trailer << /Root 1 0 R >>\n%%EOF\n")


@functools.cache
def decompression_bomb_png(side: int = 20000) -> bytes:
    """A genuine side x side single-colour PNG (1 bit per pixel) of about 50 KB.

    Written chunk by chunk because Pillow needs over a second to encode it; Pillow
    decodes it like any other PNG.
    """
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    compressor = zlib.compressobj(9)
    row = bytes(1 + (side + 7) // 8)  # filter byte 0, then the row's bits
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
            + chunk(b"IEND", b""))


class CaseDocumentFactory(factory.django.DjangoModelFactory):
    """A stored document without the validation round trip (for counting and links)."""

    class Meta:
        model = CaseDocument

    case = factory.SubFactory(CaseFactory)
    kind = "national_card"
    file = factory.LazyFunction(lambda: ContentFile(png_bytes((8, 8)), name="x.png"))
    original_name = "card.png"
    content_type = "image/png"
    size = factory.LazyAttribute(lambda d: d.file.size)
    sha256 = "0" * 64
    uploaded_by = factory.LazyAttribute(lambda d: d.case.citizen)
