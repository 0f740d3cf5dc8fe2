"""A citizen can leave a draft and come back to it from درخواست های پیشین, where it is
marked as not yet registered with the date the draft purge will delete it."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from cases.models import Case
from cases.templatetags.persian import jalali
from tests.pages import Page, fold
from tests.transfer_driver import CitizenDriver


@pytest.mark.django_db(transaction=True)
def test_draft_left_and_resumed_from_previous_requests(demo, client, settings):
    settings.DRAFT_RETENTION_DAYS = 9
    client.force_login(get_user_model().objects.get(username="citizen"))
    driver = CitizenDriver(client)
    left_at = driver.until_documents()  # the citizen stops at بارگذاری مدارک and goes away
    documents_url = left_at.wsgi_request.path

    listing = client.get("/services/requests/")
    page = Page.of(listing)
    case = Case.objects.get(citizen__username="citizen")
    deleted_on = jalali(case.created_at + datetime.timedelta(days=9), "long")
    assert page.has("ثبت نشده"), page.text[:1000]
    assert fold(deleted_on) in fold(page.text), (deleted_on, page.text[:1500])
    assert "حذف می‌شود" in listing.content.decode()

    resumed = client.get(page.link("ادامه درخواست"))
    assert resumed.status_code == 200
    assert resumed.wsgi_request.path == documents_url
    html = resumed.content.decode()
    assert 'aria-current="step">بارگذاری مدارک' in html
    # What was chosen before is still there.
    assert Page.of(resumed).has("بارگذاری مدارک")


@pytest.mark.django_db(transaction=True)
def test_registered_cases_carry_no_draft_mark(demo, client):
    client.force_login(get_user_model().objects.get(username="citizen"))
    driver = CitizenDriver(client)
    r = driver.until_confirm()
    driver.step(r, "تایید و ثبت")
    page = Page.of(client.get("/services/requests/"))
    assert not page.has("ثبت نشده") and "ادامه درخواست" not in page.text
