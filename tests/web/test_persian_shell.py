"""The Persian-first shell: RTL, self-hosted assets, Jalali dates and Persian numbers."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.staticfiles import finders
from django.template import engines

from tests.support.factories import CaseFactory, UserFactory
from tests.support.pages import Page

pytestmark = pytest.mark.django_db


def test_home_page_is_persian_rtl_with_citizens_login(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<html lang="fa" dir="rtl">', html)
    assert Page.of(response).link("ورود شهروندان") == "/accounts/login/"


def test_no_asset_comes_from_another_host(client):
    html = client.get("/").content.decode()
    external = re.findall(r'(?:src|href)="(https?:)?//[^"]+"', html)
    assert external == []
    for ref in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert finders.find(ref.removeprefix("/static/")), ref


def test_self_hosted_font_is_declared_with_swap():
    css = open(finders.find("css/site.css"), encoding="utf-8").read()
    assert "Vazirmatn" in css and "font-display: swap" in css
    assert finders.find("fonts/vazirmatn/Vazirmatn-Regular.woff2")
    assert finders.find("fonts/vazirmatn/OFL.txt")


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


@pytest.mark.parametrize(
    "value, style, expected",
    [
        (datetime.date(2026, 11, 24), "date", "۱۴۰۵/۰۹/۰۳"),
        (datetime.date(2026, 3, 21), "long", "۱ فروردین ۱۴۰۵"),
        # 06:30 UTC is 10:00 in Tehran: the display follows Tehran's clock.
        (datetime.datetime(2026, 11, 24, 6, 30, tzinfo=ZoneInfo("UTC")), "datetime", "۱۴۰۵/۰۹/۰۳ ساعت ۱۰:۰۰"),
        (datetime.date(2026, 11, 24), "day", "سه‌شنبه ۳ آذر"),
    ],
)
def test_jalali_filter(value, style, expected):
    assert render("{{ v|jalali(s) }}", v=value, s=style) == expected


def test_rials_and_digits_filters():
    assert render("{{ v|rials }}", v=4500000) == "۴٬۵۰۰٬۰۰۰ ریال"
    assert render("{{ v|fa_digits }}", v="District 12") == "District ۱۲"
    assert render("{{ v|tracking }}", v="1234567897") == '<bdi dir="ltr">۱۲۳ ۴۵۶ ۷۸۹۷</bdi>'


def test_english_is_offered_as_a_second_language(client):
    home = Page.of(client.get("/"))
    form = home.form_with_button("English")
    response = client.post("/i18n/setlang/", form.data({}, button="English"))
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Citizens' login" in html


def test_previous_requests_lists_only_the_citizens_own_cases(client):
    mine, other = UserFactory(), UserFactory()
    registered = CaseFactory(citizen=mine)
    registered.register()
    registered.save()
    CaseFactory(citizen=mine)  # a draft
    theirs = CaseFactory(citizen=other)
    theirs.register()
    theirs.save()
    client.force_login(mine)
    page = Page.of(client.get("/services/requests/"))
    assert page.has("درخواست های پیشین")
    assert registered.tracking_number_display in page.text
    assert theirs.tracking_number_display not in page.text
    assert page.has("پیش‌نویس (ثبت نشده)")


def test_an_english_browser_still_gets_persian_until_english_is_chosen(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fa" dir="rtl">' in html
