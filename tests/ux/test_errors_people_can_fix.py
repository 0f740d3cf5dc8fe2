"""Errors people can fix: an error summary at the top («مشکلی وجود دارد», a link to each
field, focus moved to it, «خطا: » before the page title), each message tied to its field
(aria-describedby, aria-invalid), and what was typed kept."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.pages import Page
from tests.transfer_driver import CitizenDriver

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

    root = Path(__file__).resolve().parents[2] / "templates"
    for name in ("wizard/base_step.html", "wizard/commitments.html", "accounts/login.html",
                 "accounts/register.html", "verify/page.html"):
        text = (root / name).read_text()
        assert "{% block title %}{% if" in text and "خطا: " in text, name
