"""A corpus of hostile uploads through the documents step: each refused with a Persian
message naming the problem, and nothing saved (no row, no file in private storage)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from cases.documents.models import CaseDocument
from tests.support import files
from tests.support.citizen_a import latest_case
from tests.support.clients import logged_in
from tests.support.files import upload
from tests.support.pages import Page
from tests.support.transfer_driver import A, CitizenDriver

pytestmark = pytest.mark.django_db


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.jpg", bytes(50 * 1024 * 1024))
    return out.getvalue()


def png_bomb() -> bytes:
    """A small PNG that claims 30000 × 30000 pixels (900 MP) once decoded."""
    out = io.BytesIO()
    Image.new("1", (30000, 30000)).save(out, "PNG")
    return out.getvalue()


SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
       b"<script>alert(document.cookie)</script></svg>")
CORPUS = {
    "script as .jpg": (lambda: upload("evil.jpg", files.PHP_PAYLOAD), "فقط تصویر"),
    "svg with script": (lambda: upload("card.svg", SVG, "image/svg+xml"), "فقط تصویر"),
    "svg named .png": (lambda: upload("card.png", SVG, "image/png"), "فقط تصویر"),
    "zip bomb": (lambda: upload("deed.jpg", zip_bomb(), "application/zip"), "فقط تصویر"),
    "decompression-bomb png": (lambda: upload("big.png", png_bomb(), "image/png"),
                               "ابعاد تصویر بیش از حد مجاز است"),
    "oversized": (lambda: upload("huge.jpg", b"\xff\xd8" + bytes(12 * 1024 * 1024)), "حجم"),
    "double extension": (lambda: upload("x.jpg.php", files.PHP_PAYLOAD), "فقط تصویر"),
    "path traversal name": (lambda: upload("../../etc/passwd.jpg", b"root:x:0:0:root"),
                            "فقط تصویر"),
}


@pytest.fixture
def documents_page(victim):
    citizen = CitizenDriver(logged_in("citizen2"))
    return citizen, citizen.until_documents(A), latest_case("citizen2")


def stored_files(settings) -> list:
    return [p for p in settings.PRIVATE_STORAGE_ROOT.rglob("*") if p.is_file()]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_upload_is_refused_in_persian_and_nothing_is_saved(documents_page, settings, name):
    citizen, page, case = documents_page
    make, words = CORPUS[name]
    before = stored_files(settings)
    refused = citizen.step(page, "تأیید و ارسال",
                           {"مالک": True, "شماره": "۱۲", "نام نهاد استعلام کننده": "دفترخانه",
                            "تاریخ نامه": "۱۴۰۵/۰۸/۲۰"},
                           files={"kind_0": "national_card", "file_0": make()},
                           expect=(200, 400))
    text = Page.of(refused).text
    assert not CaseDocument.objects.filter(case=case).exists()
    assert stored_files(settings) == before
    assert "فایل «" in text and words in text, text[:600]  # names the file and the reason
    body = refused.content
    assert b"<?php" not in body and b"<script>alert(document.cookie)" not in body
    assert b"../../etc/passwd" not in body  # the shown name is reduced, never a path


# A valid photo under names that try to leave the storage folder, as a hostile client
# sends them: raw in the multipart body (Django's test client would strip the path first).
TRAVERSAL_NAMES = ["../../../../tmp/eservices-pwned.jpg", "..\\..\\windows\\win.ini.jpg",
                   "/etc/cron.d/eservices-evil.jpg"]


def multipart(data: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "----eservices-test-boundary"
    parts = []
    for name, values in data.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                         f"\r\n\r\n{value}\r\n".encode())
    for name, (filename, content) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                     + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def test_a_valid_photo_under_a_path_traversal_name_is_stored_under_a_random_name(
        documents_page, settings):
    citizen, page, case = documents_page
    page = citizen.step(page, "+", expect=(200,))
    page = citizen.step(page, "+", expect=(200,))
    form = Page.of(page).form_with_button("تأیید و ارسال")
    data = form.data({"مالک": True, "شماره": "۱۲", "نام نهاد استعلام کننده": "دفترخانه",
                      "تاریخ نامه": "۱۴۰۵/۰۸/۲۰"}, button="تأیید و ارسال")
    photos = {}
    for i, (kind, name) in enumerate(zip(["national_card", "ownership_deed", "notary_letter"],
                                         TRAVERSAL_NAMES)):
        data[f"kind_{i}"] = kind
        photos[f"file_{i}"] = (name, files.jpeg_with_gps(size=(330 + i, 240)))
    body, boundary = multipart(data, photos)
    url = form.attrs.get("action") or page.wsgi_request.get_full_path()
    saved = citizen.client.post(url, body,
                                content_type=f"multipart/form-data; boundary={boundary}")
    assert saved.status_code in (200, 302), Page.of(saved).text[:600]

    documents = list(CaseDocument.objects.filter(case=case))
    assert len(documents) == 3, Page.of(saved).text[:600]  # accepted: they are photos
    root = settings.PRIVATE_STORAGE_ROOT.resolve()
    for document in documents:
        assert re.fullmatch(r"documents/\d{4}/\d\d/[0-9a-f-]{36}\.jpg", document.file.name)
        assert Path(document.file.path).resolve().is_relative_to(root)
        # The name kept for the citizen's own list is a bare file name, never a path.
        assert not re.search(r"[/\\]|\.\.", document.original_name), document.original_name
    assert {p.name for p in stored_files(settings)}.isdisjoint(
        {"eservices-pwned.jpg", "win.ini.jpg", "eservices-evil.jpg"})
    for name in TRAVERSAL_NAMES:
        assert not (root / name.replace("\\", "/").lstrip("/")).resolve().exists()
    assert not Path("/tmp/eservices-pwned.jpg").exists()
