"""The staff pages' list of a case's documents (cases/documents/gallery.py)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from cases.documents.gallery import document_gallery
from cases.documents.links import read_token
from cases.documents.thumbnails import SIDE, thumbnail_bytes
from tests.support import files
from tests.support.files import CaseDocumentFactory

pytestmark = pytest.mark.django_db


def test_an_image_gets_a_thumbnail_linked_to_the_full_file():
    document = CaseDocumentFactory(file=ContentFile(files.png_bytes((800, 400)), name="x.png"))
    viewer = document.case.citizen

    [before] = document_gallery([document], viewer)
    thumbnail_bytes(document)
    [after] = document_gallery([document], viewer)

    assert before.url.startswith("/documents/") and before.thumbnail.url.endswith("/thumbnail/")
    token = before.url.split("/")[2]
    assert read_token(token) == (document.pk, viewer.pk)
    assert (before.thumbnail.width, before.thumbnail.height) == (SIDE, SIDE)  # not made yet
    assert (after.thumbnail.width, after.thumbnail.height) == (320, 160)
    assert after.label == "کارت ملی"


def test_a_pdf_is_a_labelled_link_without_a_thumbnail():
    document = CaseDocumentFactory(content_type="application/pdf", kind="inquiry_letter",
                                   file=ContentFile(files.pdf_bytes(), name="x.pdf"))
    [item] = document_gallery([document], document.case.citizen)
    assert item.thumbnail is None
    assert item.label == "تصویر نامه استعلام (فایل پی‌دی‌اف)"


def test_a_purged_or_unreadable_image_is_a_link_alone():
    purged = CaseDocumentFactory()
    purged.file = ""
    unreadable = CaseDocumentFactory(thumbnail_width=0, thumbnail_height=0)
    items = document_gallery([purged, unreadable], purged.case.citizen)
    assert [item.thumbnail for item in items] == [None, None]
