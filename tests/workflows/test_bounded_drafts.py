"""Drafts are bounded: DRAFTS_PER_SERVICE open drafts per citizen and service, listed on the
commitments page with «ادامه» and «حذف», deletable by their citizen from درخواست های
پیشین, and starting is rate-limited per account (cases/drafts.py, workflows/drafts.py)."""

from __future__ import annotations

import datetime
import logging
import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from cases.documents.models import CaseDocument
from cases.file_deletions import sweep_file_deletions
from cases.housekeeping import purge_drafts
from cases.incidents.models import Incident, IncidentKind
from cases.models import Case, CaseStatus
from tests.support.clients import logged_in, user
from tests.support.files import past_backup_window
from tests.support.pages import Page
from tests.support.transfer_driver import CitizenDriver, follow, post_button
from workflows.models import CaseProcess

pytestmark = pytest.mark.django_db(transaction=True)

TRANSFER_START = "/flows/transfer/start/"
INQUIRY_START = "/flows/inquiry/start/"
TICK = {TRANSFER_START: "تأیید", INQUIRY_START: "تمامی موارد فوق مورد تأیید است"}
LIMIT_TEXT = "به این حد رسیده‌اید"
RATE_LIMITED_TEXT = "تعداد درخواست‌ها از حد مجاز گذشته است"  # jinja2/429.html


def start(client: Client, url: str = TRANSFER_START):
    """Tick the commitments and press گام بعدی, as the manual says."""
    return post_button(client, client.get(url), "گام بعدی", {TICK[url]: True})


def drafts_of(username: str, service: str = "transfer"):
    return Case.objects.filter(citizen__username=username, service=service,
                               status=CaseStatus.DRAFT)


# --- the cap --------------------------------------------------------------------------


def test_a_fourth_start_is_refused_with_the_message_and_creates_nothing(demo):
    client = logged_in("citizen")
    for _ in range(3):
        assert start(client).status_code == 302
    processes, tasks = Process.objects.count(), Task.objects.count()

    refused = start(client)

    assert refused.status_code == 409
    page = Page.of(refused)
    assert page.has(LIMIT_TEXT) and page.has("«ادامه»") and page.has("«حذف»"), page.text[:800]
    assert "خطا: " in refused.content.decode().split("</title>")[0]
    assert drafts_of("citizen").count() == 3
    assert (Process.objects.count(), Task.objects.count()) == (processes, tasks)
    # The page's own labels are still there, and the three drafts with their two links.
    form = page.form_with_button("گام بعدی")
    assert form.control("تأیید")
    assert len([a for a in page.links if a.text.strip() == "ادامه"]) == 3
    assert len([a for a in page.links if a.text.strip() == "حذف"]) == 3
    # The cap is per service: an inquiry still starts.
    assert start(client, INQUIRY_START).status_code == 302


def test_the_cap_is_a_setting(demo, settings):
    settings.DRAFTS_PER_SERVICE = 1
    client = logged_in("citizen")
    assert start(client).status_code == 302
    assert start(client).status_code == 409
    assert drafts_of("citizen").count() == 1


def test_registered_cases_do_not_count(demo):
    driver = CitizenDriver(logged_in("citizen"))
    driver.step(driver.until_confirm(), "تایید و ثبت")
    for _ in range(3):
        assert start(driver.client).status_code == 302
    assert drafts_of("citizen").count() == 3


def test_two_tabs_starting_at_once_make_no_fourth_draft(demo, postgres, monkeypatch):
    """Two drafts, then two tabs press گام بعدی together. The first tab is held between
    counting and creating its draft: without the lock on the citizen's row the second
    would count two as well and make a fourth."""
    first_counted = threading.Event()
    create = Case.objects.create

    def slow_create(**fields):
        if threading.current_thread().name == "first":
            first_counted.set()
            time.sleep(0.5)  # the second tab arrives meanwhile
        return create(**fields)

    monkeypatch.setattr(Case.objects, "create", slow_create)
    clients = [logged_in("citizen") for _ in range(2)]
    for _ in range(2):
        assert start(clients[0]).status_code == 302
    pages = [client.get(TRANSFER_START) for client in clients]
    statuses = []

    def press(client, page, wait_for=None):
        try:
            if wait_for is not None:
                assert wait_for.wait(timeout=10)
            statuses.append(post_button(client, page, "گام بعدی", {"تأیید": True}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(clients[0], pages[0]), name="first"),
               threading.Thread(target=press, args=(clients[1], pages[1], first_counted))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302, 409], statuses
    assert drafts_of("citizen").count() == 3
    assert CaseProcess.objects.filter(case__citizen__username="citizen").count() == 3


# --- the list on the commitments page -------------------------------------------------


def test_the_commitments_page_lists_the_drafts_with_continue_to_their_step(demo):
    client = logged_in("citizen")
    documents = CitizenDriver(client).until_documents()  # a draft left at بارگذاری مدارک
    page = Page.of(client.get(TRANSFER_START))
    assert page.has("درخواست‌های ثبت‌نشده شما") and page.has("مانده در گام «بارگذاری مدارک»")
    resumed = client.get(page.link("ادامه"))
    assert resumed.status_code == 200
    assert resumed.wsgi_request.path == documents.wsgi_request.path
    # Another service's commitments list only their own drafts: none here.
    assert not Page.of(client.get(INQUIRY_START)).has("درخواست‌های ثبت‌نشده شما")
    # Without drafts, the page is the manual's alone.
    assert not Page.of(logged_in("citizen2").get(TRANSFER_START)).has("ثبت‌نشده")


def test_the_list_is_read_in_one_query_however_many_drafts(demo):
    client = logged_in("citizen")
    assert start(client).status_code == 302

    def statements() -> int:
        client.get(TRANSFER_START)  # the session's and the cache's first reads
        with CaptureQueriesContext(connection) as captured:
            assert client.get(TRANSFER_START).status_code == 200
        return len(captured)

    one = statements()
    for _ in range(2):
        assert start(client).status_code == 302
    assert statements() == one


def test_deleting_from_the_commitments_page_comes_back_to_it(demo):
    client = logged_in("citizen")
    for _ in range(3):
        start(client)
    refused = start(client)
    confirm = client.get(Page.of(refused).link("حذف"))
    assert confirm.status_code == 200
    back = follow(client, post_button(client, confirm, "حذف پیش‌نویس"))
    assert back.wsgi_request.path == TRANSFER_START
    assert Page.of(back).has("پیش‌نویس حذف شد.")
    assert drafts_of("citizen").count() == 2
    assert start(client).status_code == 302


# --- deleting from درخواست های پیشین ------------------------------------------------


def test_a_citizen_deletes_a_draft_from_previous_requests(demo, caplog, settings):
    client = logged_in("citizen")
    driver = CitizenDriver(client)
    driver.upload_documents(driver.until_documents())  # three stored images
    [draft] = drafts_of("citizen")
    stored = [d.file.name for d in CaseDocument.objects.filter(case=draft)]
    assert len(stored) == 3 and all((settings.PRIVATE_STORAGE_ROOT / n).exists() for n in stored)

    listing = Page.of(client.get("/services/requests/"))
    confirm = client.get(listing.link("حذف پیش‌نویس"))
    assert confirm.status_code == 200
    assert Page.of(confirm).has("آیا این پیش‌نویس حذف شود؟")
    with caplog.at_level(logging.INFO, logger="cases.drafts"):
        done = post_button(client, confirm, "حذف پیش‌نویس")
    assert done.status_code == 302 and done["Location"] == "/services/requests/"
    assert Page.of(client.get(done["Location"])).has("پیش‌نویس حذف شد.")

    assert not Case.objects.filter(pk=draft.pk).exists()
    assert not CaseProcess.objects.filter(case_id=draft.pk).exists()
    assert not Process.objects.exists() and not Task.objects.exists()
    assert not CaseDocument.objects.filter(case_id=draft.pk).exists()
    sweep_file_deletions(now=past_backup_window())
    assert not any((settings.PRIVATE_STORAGE_ROOT / n).exists() for n in stored)
    [audit] = [r for r in caplog.records if r.getMessage() == "draft_deleted"]
    assert (audit.case, audit.citizen, audit.service) == (draft.pk, draft.citizen_id, "transfer")


def test_the_delete_needs_the_csrf_token(demo):
    owner = logged_in("citizen")
    start(owner)
    [draft] = drafts_of("citizen")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user("citizen"))
    assert browser.post(f"/services/cases/{draft.pk}/delete/").status_code == 403
    assert Case.objects.filter(pk=draft.pk).exists()


def test_only_the_citizens_own_drafts_can_be_deleted(demo):
    owner = logged_in("citizen")
    start(owner)
    [draft] = drafts_of("citizen")
    other = logged_in("citizen2")
    url = f"/services/cases/{draft.pk}/delete/"
    assert other.get(url).status_code == 404
    assert other.post(url).status_code == 404
    assert logged_in("supervisor").post(url).status_code == 404
    assert Case.objects.filter(pk=draft.pk).exists()


def test_a_registered_case_cannot_be_deleted(demo):
    driver = CitizenDriver(logged_in("citizen"))
    driver.step(driver.until_confirm(), "تایید و ثبت")
    case = Case.objects.get(citizen__username="citizen")
    assert case.status == CaseStatus.REGISTERED
    url = f"/services/cases/{case.pk}/delete/"
    assert driver.client.get(url).status_code == 404
    assert driver.client.post(url).status_code == 404
    assert Case.objects.filter(pk=case.pk, status=CaseStatus.REGISTERED).exists()
    assert "حذف پیش‌نویس" not in driver.client.get("/services/requests/").content.decode()


def test_a_draft_an_incident_names_is_kept_for_staff(demo):
    client = logged_in("citizen")
    start(client)
    [draft] = drafts_of("citizen")
    Incident.objects.create(kind=IncidentKind.SMS_FAILED, subject="sms:1", case=draft)
    url = f"/services/cases/{draft.pk}/delete/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and Page.of(confirm).has("این پیش‌نویس حذف نمی‌شود")
    assert "حذف پیش‌نویس</button>" not in confirm.content.decode()
    assert client.post(url).status_code == 302
    assert Case.objects.filter(pk=draft.pk).exists()
    # Nor does the purge delete it (the incident would block the delete: PROTECT).
    assert purge_drafts(now=timezone.now() + datetime.timedelta(days=365)) == 0
    assert Case.objects.filter(pk=draft.pk).exists()


# --- the rate limit -----------------------------------------------------------------


def test_a_burst_of_starts_is_answered_429_with_retry_after(demo):
    """The default allowance (10 an hour per account): three drafts, seven refusals by
    the cap, then 429 — for this account only."""
    client = logged_in("citizen")
    statuses = [start(client).status_code for _ in range(10)]
    assert statuses == [302] * 3 + [409] * 7, statuses
    limited = start(client)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert RATE_LIMITED_TEXT in limited.content.decode()
    assert drafts_of("citizen").count() == 3
    assert client.get(TRANSFER_START).status_code == 200  # reading is not starting
    assert start(logged_in("citizen2")).status_code == 302  # another account's own count
