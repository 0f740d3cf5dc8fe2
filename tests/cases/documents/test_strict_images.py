"""A process that rendered a certificate still refuses half an image: WeasyPrint's import
tells Pillow to pad truncated files (a process-wide flag), our decodes do not follow it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ImageFile

from cases.documents import thumbnails
from cases.documents.validation import clean_upload
from tests.support import files


def half_a_photo() -> bytes:
    whole = files.jpeg_with_gps((800, 600))
    return whole[: len(whole) // 2]


@pytest.fixture
def weasyprint_imported():
    import weasyprint  # noqa: F401 — what a process that renders a PDF has done

    assert ImageFile.LOAD_TRUNCATED_IMAGES  # the flag this guards against is really set
    return weasyprint


def test_half_an_upload_is_refused_after_weasyprint_was_imported(weasyprint_imported):
    with pytest.raises(ValidationError) as refused:
        clean_upload(SimpleUploadedFile("half.jpg", half_a_photo(), "image/jpeg"))
    assert refused.value.code == "unreadable"
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint keeps its own setting


def test_half_an_image_gets_no_thumbnail_after_weasyprint_was_imported(weasyprint_imported):
    with pytest.raises(thumbnails.UnreadableImage):
        thumbnails.render_thumbnail(half_a_photo())
    picture, size = thumbnails.render_thumbnail(files.jpeg_with_gps((800, 600)))
    assert size == (320, 240) and picture[:2] == b"\xff\xd8"
