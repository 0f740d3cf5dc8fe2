"""The staff pages' list of a case's documents (cases/documents/gallery.py)."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import set_script_prefix

from cases.documents import gallery
from cases.documents.gallery import case_gallery, document_gallery
from cases.documents.links import read_token, signed_thumbnail_url, signed_url
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


def test_the_links_are_the_ones_reverse_makes_under_any_script_prefix():
    document = CaseDocumentFactory()
    viewer = document.case.citizen
    for prefix in ("/", "/city/"):
        set_script_prefix(prefix)
        try:
            # A token carries the second it was signed in: both made in the same one.
            with time_machine.travel("2026-12-07 08:00:00+00:00", tick=False):
                [item] = document_gallery([document], viewer)
                assert item.url == signed_url(document, viewer)
                assert item.thumbnail.url == signed_thumbnail_url(document, viewer)
            assert item.url.startswith(f"{prefix}documents/")
        finally:
            set_script_prefix("/")


def test_a_cases_gallery_is_its_documents_oldest_first(postgres):
    first = CaseDocumentFactory()
    second = CaseDocumentFactory(case=first.case)
    CaseDocumentFactory()  # another case's
    second.uploaded_at = first.uploaded_at.replace(year=first.uploaded_at.year - 1)
    second.save(update_fields=["uploaded_at"])
    viewer = first.case.citizen
    items = case_gallery(first.case.pk, viewer)
    assert [item.document.pk for item in items] == list(
        first.case.documents.order_by("uploaded_at").values_list("pk", flat=True)) == [
        second.pk, first.pk]
    assert gallery._OF_CASE._compiled  # compiled once per process on PostgreSQL
