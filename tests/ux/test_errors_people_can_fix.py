"""Errors people can fix: an error summary at the top («مشکلی وجود دارد», a link to each
field, focus moved to it, «خطا: » before the page title), each message tied to its field
(aria-describedby, aria-invalid), and what was typed kept."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.support.pages import Page
from tests.support.transfer_driver import CitizenDriver

SUMMARY = re.compile(r'<div class="error-summary" role="alert" tabindex="-1"[^>]*autofocus>\s*'
                     r'<h2 id="error-summary-title">مشکلی وجود دارد</h2>')


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def input_tag(html: str, field_id: str) -> str:
    return re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html).group(0)


def assert_tied(html: str, field_id: str) -> None:
    """The field says it is invalid and points at a message that is on the page."""
    tag = input_tag(html, field_id)
    assert 'aria-invalid="true"' in tag, tag
    described = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
    assert f"{field_id}_error" in described, tag
    assert f'id="{field_id}_error"' in html
    assert f'<a href="#{field_id}">' in html  # the summary links to it


@pytest.mark.django_db
def test_login_submitted_empty_gets_the_summary():
    response = Client().post("/accounts/login/", {"username": "", "password": ""})
    html = response.content.decode()
    assert SUMMARY.search(html), html[:2000]
    assert title(html).startswith("خطا: ")
    assert_tied(html, "id_username")
    assert_tied(html, "id_password")
    # Only the summary takes the focus (the username field's own autofocus is first
    # in Django's form, but the summary comes before it in the page).
    assert html.index("autofocus") == html.index('data-error-summary') + len('data-error-summary ')


@pytest.mark.django_db
def test_registration_keeps_what_was_typed(demo):
    response = Client().post("/accounts/register/", {
        "first_name": "مریم", "last_name": "احمدی", "national_id": "123", "mobile": "۰۹۱۲۳۴۵۶۷۸۹",
        "username": "maryam", "password1": "x", "password2": "y",
    })
    html = response.content.decode()
    assert SUMMARY.search(html) and title(html).startswith("خطا: ")
    assert_tied(html, "id_national_id")
    for value in ("مریم", "احمدی", "123", "maryam"):
        assert f'value="{value}"' in html, value
    assert "value=\"x\"" not in html  # passwords are never sent back


@pytest.mark.django_db(transaction=True)
def test_wizard_step_error_links_to_the_field_and_keeps_the_input(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="citizen"))
    driver = CitizenDriver(client)
    r = driver.step(driver.open_services(), "گام بعدی", {"تأیید": True})
    typed = "12-345-67-8-0-0-99"
    r = driver.step(r, "جستجو", {"کدنوسازی": typed, "شماره درخواست یا گواهی": ""}, expect=(400, 200))
    html = r.content.decode()
    assert SUMMARY.search(html) and title(html).startswith("خطا: ")
    assert_tied(html, "id_number")
    assert typed in input_tag(html, "id_renovation_code")

    # گام بعدی pressed before the search: the message links to the first field.
    r = driver.step(r, "گام بعدی", expect=(400,))
    assert '<a href="#id_renovation_code">' in r.content.decode()


@pytest.mark.django_db(transaction=True)
def test_appointment_errors_point_at_the_calendar_and_the_phone(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="citizen"))
    driver = CitizenDriver(client)
    r = driver.until_appointment()
    refused = driver.step(r, "دریافت کد تایید", {"شماره تماس مالک جهت هماهنگی کارشناس": "0912"}, expect=(400, 200))
    html = refused.content.decode()
    assert SUMMARY.search(html)
    assert '<a href="#visit-calendar">' in html and 'id="visit-calendar"' in html
    assert 'value="0912"' in input_tag(html, "id_phone")  # kept

    slot = Page.of(r).form_with_button("دریافت کد تایید").enabled_choices("starts_at")[0].attrs["value"]
    wrong = driver.step(r, "بررسی کد", {"شماره تماس مالک جهت هماهنگی کارشناس": "09121112233",
                                       "کد تاییدیه": "000000"}, files={"starts_at": slot}, expect=(400, 200))
    html = wrong.content.decode()
    assert '<a href="#id_code">' in html
    assert 'aria-invalid="true"' in input_tag(html, "id_code")
    # The chosen hour survives the refusal.
    assert re.search(rf'value="{re.escape(slot)}" checked', html)


def test_title_prefix_on_every_error_template():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "jinja2"
    for name in ("wizard/base_step.html", "wizard/commitments.html", "accounts/login.html",
                 "accounts/register.html", "verify/page.html"):
        text = (root / name).read_text()
        assert "{% block title %}{% if" in text and "خطا: " in text, name


# --- groups of radios and file fields: the documents step and the inspector's form ---------


def error_summary(html: str) -> str:
    return re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)


def tag_with_id(html: str, element_id: str) -> str:
    found = re.search(rf'<[a-z]+[^>]*\sid="{re.escape(element_id)}"[^>]*>', html)
    assert found, f"nothing on the page has id={element_id!r}"
    return found.group(0)


def assert_fixable(html: str) -> list[str]:
    """The page's error markup holds together; returns the summary's link targets.

    One role=alert (the summary, so a screen reader hears the problems once); every
    summary link points at an element of the page; no message twice in the summary;
    every aria-describedby names ids that exist, and every field message is one of them.
    """
    assert html.count('role="alert"') == 1, re.findall(r'<[^>]*role="alert"[^>]*>', html)
    summary = error_summary(html)
    items = [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary, re.S)]
    assert len(items) == len(set(items)), items
    # A field's «label: message» is not said again as a plain line.
    assert not {item.split(": ", 1)[1] for item in items if ": " in item} & set(items), items
    targets = re.findall(r'<a href="#([^"]*)">', summary)
    assert targets and all(targets), summary
    for target in targets:
        tag_with_id(html, target)
    described = set()
    for ids in re.findall(r'aria-describedby="([^"]+)"', html):
        for element_id in ids.split():
            tag_with_id(html, element_id)
            described.add(element_id)
    for message_id in re.findall(r'class="field-error" id="([^"]+)"', html):
        assert message_id in described, f"no field points at message {message_id}"
    return targets


def assert_radio_group_tied(html: str, name: str) -> None:
    """The group's fieldset points at its message; each radio says it is invalid; the
    summary links to the first radio."""
    fieldset = tag_with_id(html, f"id_{name}_group")
    assert fieldset.startswith("<fieldset"), fieldset
    assert f"id_{name}_error" in re.search(r'aria-describedby="([^"]+)"', fieldset).group(1).split()
    assert f'id="id_{name}_error"' in html
    radios = re.findall(rf'<input type="radio" name="{name}"[^>]*>', html)
    assert radios and all('aria-invalid="true"' in radio for radio in radios), radios
    assert f'<a href="#id_{name}_0">' in error_summary(html)


def assert_file_tied(html: str, field_id: str, message_id: str) -> None:
    tag = tag_with_id(html, field_id)
    assert 'type="file"' in tag and 'aria-invalid="true"' in tag, tag
    assert message_id in re.search(r'aria-describedby="([^"]+)"', tag).group(1).split(), tag
    assert f'<a href="#{field_id}">' in error_summary(html)


@pytest.mark.django_db(transaction=True)
def test_transfer_documents_step_submitted_empty(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="citizen"))
    driver = CitizenDriver(client)
    r = driver.step(driver.until_documents(), "گام بعدی", expect=(400,))
    html = r.content.decode()
    assert SUMMARY.search(html) and title(html).startswith("خطا: ")
    targets = assert_fixable(html)
    assert targets == ["id_applicant_role_0", "id_letter_number", "id_letter_institution",
                       "id_letter_date", "id_file_0"]  # in the page's order
    assert_radio_group_tied(html, "applicant_role")
    for field_id in ("id_letter_number", "id_letter_institution", "id_letter_date"):
        assert_tied(html, field_id)
    assert_file_tied(html, "id_file_0", "id_files_error")
    # The role's message is said once in the summary, not also as a plain line.
    assert error_summary(html).count("مالک یا وکیل بودن خود را انتخاب کنید") == 1


@pytest.mark.django_db(transaction=True)
def test_a_refused_upload_links_to_the_file_field_and_keeps_the_letter(demo, client):
    from django.contrib.auth import get_user_model

    from tests.support.files import script_named_jpg

    client.force_login(get_user_model().objects.get(username="citizen"))
    driver = CitizenDriver(client)
    values = {"مالک": True, "شماره": "۱۲۳۴/۵۶", "نام نهاد استعلام کننده": "دفترخانه ۱۲",
              "تاریخ نامه": "۱۴۰۵/۰۸/۲۰"}
    r = driver.step(driver.until_documents(), "تأیید و ارسال", values,
                    files={"kind_0": "national_card", "file_0": script_named_jpg()}, expect=(400,))
    html = r.content.decode()
    assert_fixable(html)
    assert_file_tied(html, "id_file_0", "id_files_error")
    assert "evil.jpg" in tag_with_id(html, "id_files_error") + html.split('id="id_files_error"')[1][:400]
    # The letter was valid: kept, and nothing about it is reported.
    assert 'value="۱۲۳۴/۵۶"' in html or 'value="1234/56"' in html
    assert "id_letter_number_error" not in html and 'aria-invalid="true"' not in input_tag(html, "id_letter_number")


@pytest.mark.django_db(transaction=True)
def test_inquiry_documents_step_submitted_empty(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="citizen"))
    driver = CitizenDriver(client)
    services = Page.of(client.get("/services/"))
    r = client.get(services.link("استعلام ادارات/ ترهین"))
    r = driver.step(r, "گام بعدی", {"تمامی موارد فوق مورد تأیید است": True})
    r = driver.step(r, "استعلام", {"کدنوسازی": "12-345-67-8-0-0-12", "شماره درخواست": "1403-12-000123"},
                    expect=(200,))
    r = driver.step(driver.step(r, "گام بعدی"), "گام بعدی")  # بررسی سوابق, then بارگذاری مدارک
    r = driver.step(r, "گام بعدی", expect=(400,))
    html = r.content.decode()
    assert SUMMARY.search(html) and title(html).startswith("خطا: ")
    targets = assert_fixable(html)
    assert targets == ["id_letter_number", "id_letter_institution", "id_letter_date", "id_file_0"]
    assert "applicant_role" not in html
    for field_id in ("id_letter_number", "id_letter_institution", "id_letter_date"):
        assert_tied(html, field_id)
    assert_file_tied(html, "id_file_0", "id_files_error")
    assert "تصویر نامه استعلام لازم است" in tag_with_id(html, "id_files_error") + html.split('id="id_files_error"')[1][:300]


@pytest.mark.django_db(transaction=True)
def test_inspection_form_submitted_empty(demo):
    from cases.models import Case
    from tests.support.clients import logged_in
    from tests.support.transfer_driver import post_button

    citizen = CitizenDriver(logged_in("citizen"))
    citizen.step(citizen.until_confirm(), "تایید و ثبت")
    case = Case.objects.get(citizen__username="citizen")
    inspector = logged_in(case.appointments.get().slot.inspector.username)
    visit = inspector.get(Page.of(inspector.get("/staff/visits/")).link("ثبت نتیجه بازدید"))
    assert visit.status_code == 200
    r = post_button(inspector, visit, "ثبت نتیجه بازدید", {"یادداشت کارشناس": "در محل"})
    assert r.status_code == 400
    html = r.content.decode()
    assert SUMMARY.search(html) and title(html).startswith("خطا: ")
    assert assert_fixable(html) == ["id_result_0"]
    assert_radio_group_tied(html, "result")
    assert "در محل" in html  # kept
