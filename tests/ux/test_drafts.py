"""A citizen can leave a draft and come back to it from درخواست های پیشین, where it is
marked as not yet registered with the date the draft purge will delete it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.display import jalali
from cases.housekeeping import purge_drafts
from cases.models import Case
from tests.support.pages import Page, fold
from tests.support.transfer_driver import CitizenDriver


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
    deleted_on = jalali(case.last_activity_at + datetime.timedelta(days=9), "long")
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


@pytest.mark.django_db(transaction=True)
def test_working_on_a_draft_moves_its_deletion_date(demo, client, settings):
    """The purge counts from the citizen's last step, not from the day the draft began:
    a draft someone is still filling in is not deleted under them."""
    settings.DRAFT_RETENTION_DAYS = 9
    client.force_login(get_user_model().objects.get(username="citizen"))
    driver = CitizenDriver(client)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        documents = driver.until_documents()
    case = Case.objects.get(citizen__username="citizen")
    assert case.last_activity_at == start

    later = start + datetime.timedelta(days=8)
    with time_machine.travel(later, tick=False):
        client.force_login(case.citizen)  # the old session timed out long ago
        resumed = client.get(Page.of(client.get("/services/requests/")).link("ادامه درخواست"))
        assert resumed.wsgi_request.path == documents.wsgi_request.path
        assert Case.objects.get(pk=case.pk).last_activity_at == start  # reading is not work
        driver.step(resumed, "+", expect=(200,))  # adds a document row: a step taken
        case.refresh_from_db()
        assert case.last_activity_at == later
        page = Page.of(client.get("/services/requests/"))
    moved = jalali(later + datetime.timedelta(days=9), "long")
    assert fold(moved) in fold(page.text), (moved, page.text[:1500])

    # The day the first date fell, the draft is kept; nine idle days after the step, gone.
    assert purge_drafts(now=start + datetime.timedelta(days=10)) == 0
    assert purge_drafts(now=later + datetime.timedelta(days=9, seconds=1)) == 1
    assert not Case.objects.filter(pk=case.pk).exists()
