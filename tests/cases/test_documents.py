"""Documents: accepted by content, cleaned, stored privately, shown through signed links."""

import datetime
import io
import os
import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from PIL import ExifTags, Image

from cases.documents import validation
from cases.documents.kinds import MIN_IMAGES, DocumentKind, required_kinds
from cases.documents.links import signed_url
from cases.documents.models import CaseDocument
from cases.documents.services import (
    can_view,
    documents_complete,
    remove_document,
    store_document,
)
from cases.documents.storage import private_storage
from cases.documents.validation import clean_upload, size_label
from cases.file_deletions import sweep_file_deletions
from cases.models import CaseEvent
from tests.support import files
from tests.support.factories import CaseFactory, UserFactory
from tests.support.files import CaseDocumentFactory, past_backup_window, upload

OWNER_KINDS = ["national_card", "ownership_deed", "notary_letter"]
ATTORNEY_KINDS = [*OWNER_KINDS, "power_of_attorney", "attorney_national_card"]


@pytest.fixture(autouse=True)
def _private_storage_in_tmp(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def refusal(uploaded, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        clean_upload(uploaded, **kwargs)
    return caught.value


# --- validation ------------------------------------------------------------------------


def test_jpeg_is_reencoded_without_exif_or_gps():
    original = files.jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    clean = clean_upload(upload("photo.jpg", original))

    assert (clean.content_type, clean.extension) == ("image/jpeg", "jpg")
    assert clean.content != original
    stored = Image.open(io.BytesIO(clean.content))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in stored.info
    assert b"PhoneMaker" not in clean.content
    assert clean.original_name == "photo.jpg"
    assert re.fullmatch(r"[0-9a-f]{64}", clean.sha256)


def test_orientation_is_applied_before_exif_is_dropped():
    clean = clean_upload(upload("p.jpg", files.jpeg_with_gps((200, 100), files.ROTATE_90_CW)))
    assert Image.open(io.BytesIO(clean.content)).size == (100, 200)


def test_large_image_is_downscaled_to_2400_on_the_long_side():
    clean = clean_upload(upload("big.jpg", files.jpeg_with_gps((3000, 1000))))
    assert Image.open(io.BytesIO(clean.content)).size == (2400, 800)


def test_type_comes_from_the_content_not_the_name_or_browser():
    clean = clean_upload(upload("photo.jpg", files.png_bytes(), "image/jpeg"))
    assert (clean.content_type, clean.extension) == ("image/png", "png")
    assert Image.open(io.BytesIO(clean.content)).format == "PNG"


def test_script_named_jpg_is_refused_naming_the_file():
    error = refusal(files.script_named_jpg())
    assert error.code == "file_type"
    assert "فقط تصویر JPEG یا PNG پذیرفته می‌شود" in error.messages[0]
    assert "evil.jpg" in error.messages[0]


def test_script_appended_to_a_jpeg_does_not_survive():
    clean = clean_upload(upload("poly.jpg", files.jpeg_with_appended_script()))
    assert files.PHP_PAYLOAD not in clean.content
    assert b"<?php" not in clean.content


def test_pdf_refused_unless_the_step_allows_it():
    error = refusal(upload("letter.pdf", files.pdf_bytes(), "application/pdf"))
    assert error.code == "file_type"
    assert "فقط تصویر JPEG یا PNG پذیرفته می‌شود" in error.messages[0]

    clean = clean_upload(upload("letter.pdf", files.pdf_bytes(), "application/pdf"),
                         allow_pdf=True)
    assert (clean.content_type, clean.extension) == ("application/pdf", "pdf")
    assert clean.content == files.pdf_bytes()


def test_not_even_pdf_accepts_a_script():
    error = refusal(files.script_named_jpg(), allow_pdf=True)
    assert "فقط تصویر JPEG یا PNG یا PDF پذیرفته می‌شود" in error.messages[0]


def test_empty_file_refused():
    assert refusal(upload("empty.jpg", b"")).code == "empty"


def test_oversized_file_refused_with_the_limit_of_the_settings(settings):
    settings.UPLOAD_MAX_BYTES = 2048
    error = refusal(upload("noise.png", files.png_bytes((64, 64), noisy=True), "image/png"))
    assert error.code == "too_large"
    assert "حجم فایل بیش از ۲ کیلوبایت است" in error.messages[0]


def test_default_limit_is_worded_in_persian_megabytes():
    error = refusal(upload("huge.jpg", b"\xff\xd8" + bytes(5 * 1024 * 1024)))
    assert "حجم فایل بیش از ۵ مگابایت است" in error.messages[0]
    assert size_label(1536 * 1024) == "۱٫۵ مگابایت"


def test_decompression_bomb_refused_politely():
    bomb = files.decompression_bomb_png()
    assert len(bomb) < 200_000  # small on the wire, 400 megapixels decoded
    error = refusal(upload("bomb.png", bomb, "image/png"))
    assert error.code == "too_many_pixels"
    assert "bomb.png" in error.messages[0]


def test_own_pixel_limit_applies_below_pillows(monkeypatch):
    monkeypatch.setattr(validation, "MAX_IMAGE_PIXELS", 1000)
    assert refusal(upload("wide.png", files.png_bytes((40, 40)), "image/png")).code == (
        "too_many_pixels")


def test_truncated_image_refused_as_unreadable():
    broken = files.jpeg_with_gps()[:600]
    assert refusal(upload("broken.jpg", broken)).code == "unreadable"


# --- kinds and completeness ------------------------------------------------------------


def test_required_kinds_by_applicant_role():
    assert required_kinds("owner") == OWNER_KINDS
    assert required_kinds("attorney") == ATTORNEY_KINDS
    assert MIN_IMAGES == 3
    assert DocumentKind.INQUIRY_LETTER.label == "تصویر نامه استعلام"


@pytest.mark.django_db
def test_owner_complete_with_the_three_kinds():
    case = CaseFactory(applicant_role="owner")
    for kind in OWNER_KINDS[:2]:
        CaseDocumentFactory(case=case, kind=kind)
    complete, missing = documents_complete(case)
    assert not complete
    assert missing[0] == "نامه دفترخانه"
    assert any("حداقل ۳ تصویر" in item for item in missing)

    CaseDocumentFactory(case=case, kind="notary_letter")
    assert documents_complete(case) == (True, [])


@pytest.mark.django_db
def test_three_images_needed_even_when_every_kind_is_there():
    case = CaseFactory(applicant_role="owner")
    CaseDocumentFactory(case=case, kind="national_card")
    CaseDocumentFactory(case=case, kind="ownership_deed")
    # two kinds, two images: one more kind is missing and the count is short
    assert documents_complete(case)[0] is False
    CaseDocumentFactory(case=case, kind="ownership_deed")
    complete, missing = documents_complete(case)
    assert (complete, missing) == (False, ["نامه دفترخانه"])


@pytest.mark.django_db
def test_attorney_needs_power_of_attorney_and_own_card():
    case = CaseFactory(applicant_role="attorney")
    for kind in OWNER_KINDS:
        CaseDocumentFactory(case=case, kind=kind)
    complete, missing = documents_complete(case)
    assert not complete
    assert missing == ["وکالت‌نامه", "کارت ملی وکیل"]
    for kind in ATTORNEY_KINDS[3:]:
        CaseDocumentFactory(case=case, kind=kind)
    assert documents_complete(case) == (True, [])


@pytest.mark.django_db
def test_inquiry_needs_the_letter_image():
    case = CaseFactory(inquiry=True)
    assert documents_complete(case) == (False, ["تصویر نامه استعلام", "حداقل ۱ تصویر (تاکنون ۰)"])
    CaseDocumentFactory(case=case, kind="inquiry_letter")
    assert documents_complete(case) == (True, [])


# --- storing and removing --------------------------------------------------------------


@pytest.mark.django_db
def test_store_document_keeps_clean_bytes_under_a_random_private_name(tmp_path):
    case = CaseFactory()
    document = store_document(case, "national_card",
                              upload("کارت ملی من.jpg", files.jpeg_with_gps()), case.citizen)

    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f-]{36}\.jpg", document.file.name)
    assert document.file.path.startswith(str(tmp_path / "private"))
    with document.file.open("rb") as handle:
        stored = handle.read()
    assert document.size == len(stored)
    assert b"PhoneMaker" not in stored
    assert document.original_name == "کارت ملی من.jpg"
    assert document.content_type == "image/jpeg"
    assert document.uploaded_by == case.citizen
    assert not case.events.exists()  # drafts stay free of timeline events
    with pytest.raises(ValueError):
        private_storage().url(document.file.name)


@pytest.mark.django_db
def test_sending_the_same_file_twice_stores_it_once(tmp_path):
    case = CaseFactory()
    photo = files.jpeg_with_gps()
    first = store_document(case, "national_card", upload("a.jpg", photo), case.citizen)
    again = store_document(case, "national_card", upload("a.jpg", photo), case.citizen)
    assert again.pk == first.pk and case.documents.count() == 1
    assert len([p for p in (tmp_path / "private").rglob("*") if p.is_file()]) == 1


@pytest.mark.django_db
def test_store_document_refuses_bad_kind_and_other_people(tmp_path):
    case = CaseFactory()
    with pytest.raises(ValidationError):
        store_document(case, "selfie", upload("a.png", files.png_bytes()), case.citizen)
    with pytest.raises(PermissionDenied):
        store_document(case, "other", upload("a.png", files.png_bytes()), UserFactory())
    with pytest.raises(ValidationError):
        store_document(case, "other", files.script_named_jpg(), case.citizen)
    assert not CaseDocument.objects.exists()
    assert not [p for p in (tmp_path / "private").rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_remove_document_deletes_row_and_file(django_capture_on_commit_callbacks):
    document = CaseDocumentFactory()
    path = document.file.path
    with django_capture_on_commit_callbacks(execute=True):
        remove_document(document, document.case.citizen)
    assert not CaseDocument.objects.exists()
    # Kept through the backup window (a dump taken before may name it), then swept.
    assert os.path.exists(path)
    assert sweep_file_deletions() == 0
    assert sweep_file_deletions(now=past_backup_window()) == 1
    assert not os.path.exists(path)


@pytest.mark.django_db
def test_remove_document_refused_once_the_case_is_registered():
    document = CaseDocumentFactory()
    case = document.case
    case.register(by=case.citizen)
    case.save_registration()
    with pytest.raises(ValidationError) as caught:
        remove_document(document, case.citizen)
    assert caught.value.code == "not_draft"
    assert CaseDocument.objects.filter(pk=document.pk).exists()
    with pytest.raises(ValidationError):
        store_document(case, "other", upload("a.png", files.png_bytes()), case.citizen)


@pytest.mark.django_db
def test_purging_a_draft_case_deletes_its_files(django_capture_on_commit_callbacks):
    document = CaseDocumentFactory()
    path = document.file.path
    with django_capture_on_commit_callbacks(execute=True):
        document.case.delete()
    assert os.path.exists(path)
    sweep_file_deletions(now=past_backup_window())
    assert not os.path.exists(path)


# --- signed links ----------------------------------------------------------------------


def registered(case):
    case.register(by=case.citizen)
    case.save_registration()
    return case


@pytest.fixture
def stored(db):
    case = CaseFactory(applicant_role="owner")
    return store_document(case, "national_card", upload("card.jpg", files.jpeg_with_gps()),
                          case.citizen)


def viewer_with_view_case():
    user = UserFactory(staff=True)
    user.user_permissions.add(Permission.objects.get(
        content_type__app_label="cases", codename="view_case"))
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


def consume(response) -> bytes:
    # Reading to the end lets the test client close the file without closing the
    # test's database connection (response.close() would, on PostgreSQL).
    return b"".join(response.streaming_content)


def test_owner_gets_the_file_through_the_signed_link(client, stored):
    client.force_login(stored.case.citizen)
    url = signed_url(stored, stored.case.citizen)
    assert url.startswith("/documents/") and url.endswith("/")

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("inline")
    with stored.file.open("rb") as handle:
        assert consume(response) == handle.read()
    assert not stored.case.events.exists()  # the citizen's own views are not audited


def test_another_citizen_gets_404_with_any_link(client, stored):
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(signed_url(stored, stored.case.citizen)).status_code == 404
    assert client.get(signed_url(stored, stranger)).status_code == 404


def test_anonymous_is_sent_to_login(client, stored):
    response = client.get(signed_url(stored, stored.case.citizen))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_link_expires_after_the_configured_age(client, stored, settings):
    settings.SIGNED_LINK_MAX_AGE = 300
    client.force_login(stored.case.citizen)
    start = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        url = signed_url(stored, stored.case.citizen)
    with time_machine.travel(start + datetime.timedelta(seconds=299), tick=False):
        response = client.get(url)
        assert response.status_code == 200
        consume(response)
    with time_machine.travel(start + datetime.timedelta(seconds=301), tick=False):
        assert client.get(url).status_code == 404


def test_forged_tokens_are_404(client, stored):
    owner = stored.case.citizen
    client.force_login(owner)
    token = signed_url(stored, owner).split("/")[2]
    forged_signature = token[:-1] + ("A" if token[-1] != "A" else "B")
    other_document = token.replace(f"{stored.pk}:", f"{stored.pk + 1}:", 1)
    for bad in (forged_signature, other_document, "nonsense", f"{stored.pk}:{owner.pk}"):
        assert client.get(reverse("documents:serve", args=[bad])).status_code == 404


def test_staff_with_view_case_sees_registered_cases_documents_only(client, stored):
    staff = viewer_with_view_case()
    client.force_login(staff)
    assert client.get(signed_url(stored, staff)).status_code == 404  # drafts are private

    registered(stored.case)
    response = client.get(signed_url(stored, staff))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    consume(response)
    event = CaseEvent.objects.get(case=stored.case, name="document_viewed")
    assert event.actor == staff and event.data["document"] == stored.pk


@pytest.mark.django_db
def test_can_view_rules(stored):
    registered(stored.case)
    staff_without_permission = UserFactory(staff=True)
    assert can_view(stored.case.citizen, stored)
    assert can_view(viewer_with_view_case(), stored)
    assert not can_view(staff_without_permission, stored)
    assert not can_view(UserFactory(), stored)
