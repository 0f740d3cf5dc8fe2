"""HTML and script typed into every free-text field come back as text, never as markup.

Each payload is typed where a person types (registration names, the documents step's
letter fields, the inspector's cancel reason and notes), then every page that shows it is
read: the raw markup must be absent and its escaped form present (so the text was shown).
"""

from __future__ import annotations

import pytest
from django.test import Client

from cases.models import CaseStatus
from tests.pages import Page
from tests.test_case_security import inspection_task, latest_case, logged_in
from tests.transfer_driver import A, B, CitizenDriver, post_button

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + ATTRIBUTE
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")


def assert_harmless(response, where: str, shown: bool = True) -> None:
    body = b"".join(response) if response.streaming else response.content
    html = body.decode()
    assert SCRIPT not in html and "<img src=x" not in html, f"raw markup on {where}"
    if shown:
        assert all(escaped in html for escaped in ESCAPED), f"{where} does not show the text"


def valid_national_id(first_nine: str) -> str:
    total = sum(int(d) * (10 - i) for i, d in enumerate(first_nine)) % 11
    return first_nine + str(total if total < 2 else 11 - total)


def test_names_typed_at_registration_are_shown_as_text(victim):
    browser = Client()
    form = browser.get("/accounts/register/")
    done = post_button(browser, form, "ثبت نام", {
        "نام": PAYLOAD, "نام خانوادگی": ATTRIBUTE + SCRIPT,
        "کد ملی": valid_national_id("004567891"), "شماره همراه": "09127776655",
        "نام کاربری (شناسه شهروندی)": "xss-citizen", "کلمه عبور (رمز عبور)": "a-Long-pass-1405",
        "تکرار کلمه عبور": "a-Long-pass-1405"})
    assert done.status_code == 302, Page.of(done).text[:600]
    for path in ("/services/", "/services/requests/", "/services/transfer/"):
        assert_harmless(browser.get(path), path)


def test_letter_fields_of_the_documents_step_are_shown_as_text(victim):
    citizen = CitizenDriver(logged_in("citizen2"))
    page = citizen.until_documents(A)
    values = {"مالک": True, "شماره": PAYLOAD, "نام نهاد استعلام کننده": PAYLOAD,
              "تاریخ نامه": "۱۴۰۵/۰۸/۲۰"}
    answer = citizen.step(page, "تأیید و ارسال", values, expect=(200, 400))
    assert_harmless(answer, "the documents step after sending")
    again = citizen.client.get(answer.wsgi_request.get_full_path())
    assert_harmless(again, "the documents step reopened", shown=False)


def test_cancel_reason_and_notes_are_shown_as_text_to_citizen_and_staff(victim):
    citizen = CitizenDriver(logged_in("citizen2"))
    citizen.step(citizen.until_confirm(B, phone="09121118888"), "تایید و ثبت")
    case = latest_case("citizen2")
    assert case.status == CaseStatus.REGISTERED
    task = inspection_task(case)
    inspector = Client()
    inspector.force_login(task.owner)
    visit = inspector.get(task.reverse("execute"))
    done = post_button(inspector, visit, "ثبت نتیجه بازدید",
                       {"ابطال": True, "دلیل ابطال": PAYLOAD, "یادداشت کارشناس": PAYLOAD})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED
    assert_harmless(citizen.client.get(f"/services/cases/{case.pk}/"), "the citizen's status")
    supervisor = logged_in("supervisor")
    case_file = supervisor.get(f"/staff/cases/{case.pk}/")
    assert_harmless(case_file, "the staff case file")
    assert case_file.content.decode().count(ESCAPED[0]) >= 2, "reason and notes both shown"
    assert_harmless(supervisor.get("/staff/search/", {"q": PAYLOAD}), "staff search",
                    shown=False)
