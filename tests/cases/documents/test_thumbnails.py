"""Thumbnails of image documents (cases/documents/thumbnails.py) and their signed link
(views.thumbnail): made once, kept privately, served on the document's own terms."""

from __future__ import annotations

import datetime
import io
import logging
import os
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases.documents import thumbnails
from cases.documents.links import signed_thumbnail_url, signed_url
from cases.documents.models import CaseDocument
from cases.documents.services import store_document
from cases.documents.storage import private_storage
from cases.file_deletions import sweep_file_deletions
from cases.models import Case, CaseEvent
from cases.retention import purge_closed_case_documents
from tests.support import files
from tests.support.factories import CaseFactory, UserFactory
from tests.support.files import CaseDocumentFactory, past_backup_window, upload

pytestmark = pytest.mark.django_db
THUMBNAIL_NAME = re.compile(r"documents/\d{4}/\d{2}/[0-9a-f-]{36}\.thumb\.jpg")


@pytest.fixture
def stored() -> CaseDocument:
    """A 1200×900 photo of a national card, stored as the citizen uploads it."""
    case = CaseFactory(applicant_role="owner")
    return store_document(case, "national_card",
                          upload("card.jpg", files.jpeg_with_gps((1200, 900))), case.citizen)


def registered(case: Case) -> Case:
    case.register(by=case.citizen)
    case.save_registration()
    return case


def viewer_with_view_case():
    user = UserFactory(staff=True)
    user.user_permissions.add(Permission.objects.get(
        content_type__app_label="cases", codename="view_case"))
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


def owner_client(client, document: CaseDocument):
    client.force_login(document.case.citizen)
    return client


def truncated_jpeg() -> bytes:
    whole = files.jpeg_with_gps((800, 600))
    return whole[: len(whole) // 2]


def stored_files() -> list[str]:
    root = private_storage().location
    return sorted(os.path.relpath(os.path.join(folder, name), root)
                  for folder, _, names in os.walk(root) for name in names)


# --- made once, kept privately ---------------------------------------------------------


def test_the_thumbnail_is_a_small_jpeg_of_the_image(client, stored):
    response = owner_client(client, stored).get(signed_thumbnail_url(stored, stored.case.citizen))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "no-referrer"
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("JPEG", (320, 240))
    assert len(response.content) < 30_000
    stored.refresh_from_db()
    assert (stored.thumbnail_width, stored.thumbnail_height) == (320, 240)


def test_portrait_and_transparent_images_keep_their_shape_on_white():
    out = io.BytesIO()
    Image.new("RGBA", (900, 1600), (0, 0, 0, 0)).save(out, "PNG")

    content, size = thumbnails.render_thumbnail(out.getvalue())

    image = Image.open(io.BytesIO(content))
    assert size == image.size == (180, 320)
    assert image.mode == "RGB" and image.getpixel((90, 160)) >= (250, 250, 250)


def test_a_small_image_is_not_enlarged():
    content, size = thumbnails.render_thumbnail(files.png_bytes((64, 48)))
    assert size == Image.open(io.BytesIO(content)).size == (64, 48)


def test_stored_once_beside_the_document_under_a_random_private_name(client, stored,
                                                                      monkeypatch):
    made = []
    render = thumbnails.render_thumbnail
    monkeypatch.setattr(thumbnails, "render_thumbnail",
                        lambda content: made.append(1) or render(content))
    client = owner_client(client, stored)

    first = client.get(signed_thumbnail_url(stored, stored.case.citizen))
    stored.refresh_from_db()
    name = stored.thumbnail.name
    second = client.get(signed_thumbnail_url(stored, stored.case.citizen))

    assert made == [1]
    assert second.content == first.content
    stored.refresh_from_db()
    assert stored.thumbnail.name == name and THUMBNAIL_NAME.fullmatch(name)
    assert stored.thumbnail.path.startswith(str(private_storage().location))
    assert stored_files() == sorted([stored.file.name, name])
    with pytest.raises(ValueError):
        private_storage().url(name)  # no public URL reaches it


def test_two_first_requests_at_once_keep_one_file(stored):
    first, second = (CaseDocument.objects.get(pk=stored.pk) for _ in range(2))

    assert thumbnails.thumbnail_bytes(first) == thumbnails.thumbnail_bytes(second)

    stored.refresh_from_db()
    assert stored.thumbnail.name == first.thumbnail.name
    assert stored_files() == sorted([stored.file.name, stored.thumbnail.name])


# --- who gets it -----------------------------------------------------------------------


def test_another_citizen_gets_404_with_any_link(client, stored):
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(signed_thumbnail_url(stored, stored.case.citizen)).status_code == 404
    assert client.get(signed_thumbnail_url(stored, stranger)).status_code == 404
    stored.refresh_from_db()
    assert not stored.thumbnail  # nothing was made for them


def test_anonymous_is_sent_to_login(client, stored):
    url = signed_thumbnail_url(stored, stored.case.citizen)
    response = client.get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("accounts:login")
    assert parse_qs(location.query)["next"] == [url]


def test_the_link_expires_with_the_documents(client, stored, settings):
    settings.SIGNED_LINK_MAX_AGE = 300
    client = owner_client(client, stored)
    start = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        url = signed_thumbnail_url(stored, stored.case.citizen)
    with time_machine.travel(start + datetime.timedelta(seconds=299), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(start + datetime.timedelta(seconds=301), tick=False):
        assert client.get(url).status_code == 404


def test_forged_tokens_are_404(client, stored):
    token = signed_url(stored, stored.case.citizen).split("/")[2]
    client = owner_client(client, stored)
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "nonsense"):
        assert client.get(reverse("documents:thumbnail", args=[bad])).status_code == 404


def test_staff_see_it_once_the_case_is_registered_and_it_is_not_audited(client, stored):
    staff = viewer_with_view_case()
    client.force_login(staff)
    assert client.get(signed_thumbnail_url(stored, staff)).status_code == 404  # a draft

    registered(stored.case)
    assert client.get(signed_thumbnail_url(stored, staff)).status_code == 200
    assert not CaseEvent.objects.filter(name="document_viewed").exists()
    # Opening the file itself is still on the timeline.
    b"".join(client.get(signed_url(stored, staff)).streaming_content)
    assert CaseEvent.objects.filter(name="document_viewed", actor=staff).count() == 1


# --- what has none ---------------------------------------------------------------------


def test_a_corrupt_image_gets_none_and_is_not_tried_again(client, monkeypatch, caplog):
    document = CaseDocumentFactory(content_type="image/jpeg",
                                   file=ContentFile(truncated_jpeg(), name="x.jpg"))
    client = owner_client(client, document)
    url = signed_thumbnail_url(document, document.case.citizen)

    with caplog.at_level(logging.WARNING, logger="cases.documents.thumbnails"):
        assert client.get(url).status_code == 404
    assert "document_thumbnail_unreadable" in caplog.messages
    document.refresh_from_db()
    assert (document.thumbnail_width, document.thumbnail_height) == (0, 0)
    assert not document.thumbnail and not thumbnails.may_have_thumbnail(document)

    monkeypatch.setattr(thumbnails, "render_thumbnail", pytest.fail)
    assert client.get(url).status_code == 404


def test_garbage_and_bombs_are_unreadable_not_errors():
    with pytest.raises(thumbnails.UnreadableImage):
        thumbnails.render_thumbnail(b"\xff\xd8\xff\xe0 not really a jpeg")
    with pytest.raises(thumbnails.UnreadableImage):
        thumbnails.render_thumbnail(files.decompression_bomb_png())


def test_a_pdf_has_none(client):
    document = CaseDocumentFactory(content_type="application/pdf", kind="inquiry_letter",
                                   file=ContentFile(files.pdf_bytes(), name="x.pdf"))
    client = owner_client(client, document)
    assert client.get(signed_thumbnail_url(document, document.case.citizen)).status_code == 404
    document.refresh_from_db()
    assert document.thumbnail_width is None  # not a verdict on a picture: it is none


def test_a_missing_file_is_404_and_records_nothing(client, stored):
    os.remove(stored.file.path)
    client = owner_client(client, stored)
    assert client.get(signed_thumbnail_url(stored, stored.case.citizen)).status_code == 404
    stored.refresh_from_db()
    assert stored.thumbnail_width is None


# --- it goes with its document ---------------------------------------------------------


def test_deleting_the_document_deletes_its_thumbnail(stored, django_capture_on_commit_callbacks):
    thumbnails.thumbnail_bytes(stored)
    with django_capture_on_commit_callbacks(execute=True):
        stored.delete()
    assert len(stored_files()) == 2  # kept through the backup window, with the file
    sweep_file_deletions(now=past_backup_window())
    assert stored_files() == []


def test_retention_purges_the_thumbnail_with_the_file(django_capture_on_commit_callbacks):
    case = CaseFactory(advanced_to="archived")
    document = CaseDocumentFactory(case=case, file=ContentFile(files.png_bytes((400, 300)),
                                                               name="x.png"))
    thumbnails.thumbnail_bytes(document)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=60))

    with django_capture_on_commit_callbacks(execute=True):
        assert purge_closed_case_documents(timezone.now(), days=30) == (1, 1)

    document.refresh_from_db()
    assert (document.file.name, document.thumbnail) == ("", None)
    sweep_file_deletions(now=past_backup_window())
    assert stored_files() == []
    assert thumbnails.thumbnail_bytes(document) is None  # and none is made again
