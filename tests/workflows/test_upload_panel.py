"""The documents step's upload panel: what it shows, and how it reads a POST (store the
chosen files, add a row, remove a document) without leaving the step."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from cases.documents.models import CaseDocument
from cases.documents.services import store_document
from tests.support import files
from tests.support.factories import CaseFactory
from tests.support.files import CaseDocumentFactory, upload
from tests.support.pages import Page
from workflows.steps.upload_panel import handle_panel_post, parse_upload_rows, upload_panel_context


@pytest.fixture(autouse=True)
def _private_storage_in_tmp(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def stored(db):
    case = CaseFactory(applicant_role="owner")
    return store_document(case, "national_card", upload("card.jpg", files.jpeg_with_gps()),
                          case.citizen)


def render_panel(case, user, **kwargs) -> Page:
    return Page("<form>" + render_to_string(
        "documents/_upload_panel.html", upload_panel_context(case, user, **kwargs)) + "</form>")


def test_panel_shows_labels_buttons_and_signed_links(stored):
    html = render_to_string("documents/_upload_panel.html",
                            upload_panel_context(stored.case, stored.case.citizen))
    assert "<form" not in html
    page = render_panel(stored.case, stored.case.citizen)
    form = page.forms[0]
    assert form.field_name("انتخاب فایل") == "file_0"
    assert form.field_name("نوع مدرک") == "kind_0"
    upload_button = form.button("تأیید و ارسال")
    assert (upload_button.name, upload_button.attrs["value"]) == ("action", "upload")
    plus = form.button("+")
    assert (plus.attrs["value"], plus.attrs["aria-label"]) == ("add_slot", "+ افزودن فایل دیگر")
    file_input = next(c for c in form.controls if c.name == "file_0")
    assert file_input.attrs["accept"] == "image/jpeg,image/png"
    assert re.fullmatch(r"/documents/[^/]+/", page.link("مشاهده"))
    assert page.has("کارت ملی")


def post(user, data):
    request = RequestFactory().post("/step/", data)
    request.user = user
    return request


@pytest.mark.django_db
def test_plus_adds_a_row_and_keeps_the_file_already_chosen():
    case = CaseFactory(applicant_role="owner")
    request = post(case.citizen, {"slots": "1", "action": "add_slot", "kind_0": "ownership_deed",
                                  "file_0": upload("deed.png", files.png_bytes(), "image/png")})

    outcome = handle_panel_post(request, case)

    assert outcome.handled and outcome.slots == 2 and not outcome.errors
    assert list(case.documents.values_list("kind", flat=True)) == ["ownership_deed"]
    form = render_panel(case, case.citizen, slots=outcome.slots).forms[0]
    assert {"file_0", "file_1", "kind_0", "kind_1"} <= {c.name for c in form.controls}


@pytest.mark.django_db
def test_upload_rows_store_good_files_and_report_bad_ones():
    case = CaseFactory(applicant_role="owner")
    request = post(case.citizen, {
        "slots": "3", "action": "upload",
        "kind_0": "national_card", "file_0": upload("card.jpg", files.jpeg_with_gps()),
        "kind_1": "ownership_deed", "file_1": files.script_named_jpg(),
        "kind_2": "notary_letter",  # no file chosen in this row
    })
    assert [kind for kind, _ in parse_upload_rows(request, 3)] == ["national_card",
                                                                    "ownership_deed"]
    outcome = handle_panel_post(request, case)
    assert [d.kind for d in outcome.stored] == ["national_card"]
    assert len(outcome.errors) == 1 and "evil.jpg" in outcome.errors[0]


@pytest.mark.django_db
def test_remove_button_removes_while_draft(django_capture_on_commit_callbacks):
    document = CaseDocumentFactory()
    request = post(document.case.citizen, {"slots": "1", "remove_document": str(document.pk)})
    with django_capture_on_commit_callbacks(execute=True):
        outcome = handle_panel_post(request, document.case)
    assert outcome.handled and not CaseDocument.objects.exists()
