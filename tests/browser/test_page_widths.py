"""Every page a citizen, an inspector and a supervisor sees fits a 1280 px laptop and a
390 px phone (nothing past the screen's edge, nothing cut off inside a table, on the laptop
every link and button of a table in view) and reads in Persian (no raw identifier, no
Latin digits outside codes, no Latin word but a few names): tests/browser/page_fit.py.

One browser walks it all in the order the work happens, so each page has its data: the
citizen registers a transfer, the supervisor sees it wait for its visit, its inspector
claims and approves it, the citizen settles it, a second citizen's cases bring the draft,
cancelled, debt and issued states, the citizen asks for an inquiry answer, and the
supervisor then looks at all of it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cases.incidents import services as incidents
from cases.incidents.models import IncidentKind
from cases.models import Case, CaseStatus
from cases.notifications import case_correlation
from integrations.sms.models import OutboxMessage
from staff import assignment
from tests.browser import citizen_walk
from tests.browser.page_fit import FitChecker
from tests.support.browser import DEMO_PASSWORD, PASSWORD, TIMEOUT_MS, USERNAME, log_in


def diagram_drawn(page: Page) -> None:
    """bpmn-js draws after load: its labels are text to read, its box a width to fit."""
    expect(page.locator("#flow-diagram[data-ready=true]")).to_be_attached()


def not_found(page: Page, check, who: str) -> None:
    page.goto("/no-such-page/")
    expect(page.get_by_role("heading", name="صفحه پیدا نشد")).to_be_visible()
    check(page, f"404 ({who})")


def forbidden(page: Page, check) -> None:
    page.goto("/staff/queue/")  # a citizen on a staff page
    expect(page.get_by_role("heading", name="دسترسی مجاز نیست")).to_be_visible()
    check(page, "403 (a citizen on a staff page)")


def inspector_pages(page: Page, check, case: Case) -> None:
    """The visit's inspector: the visit put back in the queue and claimed again, the
    visits, a search and its case, the inspection form empty and in error; then the
    visit approved."""
    task = case.process.task_set.get(flow_task_type="HUMAN", status="ASSIGNED")
    assignment.unassign(task, task.owner)  # so that the queue has a row to show
    page.goto("/staff/queue/")
    check(page, "inspector: queue (a visit)")
    page.get_by_role("button", name="برداشتن کار").click()
    expect(page.get_by_role("heading", name="بازدیدهای من")).to_be_visible()
    check(page, "inspector: my visits")
    page.get_by_role("link", name="جستجوی پرونده").click()
    check(page, "inspector: search")
    page.get_by_label("شماره پیگیری، کدنوسازی، نام یا تلفن").fill(case.tracking_number)
    page.get_by_role("button", name="جستجو").click()
    check(page, "inspector: search (one result)")
    page.get_by_role("link", name=case.tracking_number_display).click()
    check(page, "inspector: case")
    page.goto("/staff/visits/")
    page.get_by_role("link", name="ثبت نتیجه بازدید").first.click()
    check(page, "inspector: inspection")
    page.get_by_role("button", name="ثبت نتیجه بازدید").click()
    expect(page.get_by_role("alert")).to_contain_text("مشکلی وجود دارد")
    check(page, "inspector: inspection (error)")
    page.get_by_label("تأیید", exact=True).check()
    page.get_by_role("button", name="ثبت نتیجه بازدید").click()
    expect(page.get_by_role("heading", name="بازدیدهای من")).to_be_visible()
    check(page, "inspector: my visits (none left)")


def supervisor_pages_during_inspection(page: Page, check, case: Case) -> None:
    page.goto("/staff/tasks/")
    expect(page.get_by_role("main")).to_contain_text(case.tracking_number_display)
    check(page, "supervisor: open tasks (a visit)")
    page.get_by_role("button", name="ارجاع", exact=True).click()
    expect(page).to_have_title(re.compile("^خطا: "))
    check(page, "supervisor: open tasks (handed over to no one, error)")
    page.goto(f"/staff/cases/{case.pk}/")
    diagram_drawn(page)
    check(page, "supervisor: case (at the visit)")
    page.get_by_role("button", name="ابطال پرونده").click()
    expect(page).to_have_title(re.compile("^خطا: "))
    diagram_drawn(page)
    check(page, "supervisor: case (cancelled with no reason, error)")


def supervisor_pages(page: Page, check, cases: dict[str, Case]) -> None:
    page.get_by_role("link", name="جستجوی پرونده").click()
    page.get_by_role("button", name="جستجو").click()  # nothing typed: every case
    check(page, "supervisor: search (every case)")
    for state, case in cases.items():
        page.goto(f"/staff/cases/{case.pk}/")
        diagram_drawn(page)
        check(page, f"supervisor: case ({state})")
    for flow in ("transfer", "inquiry"):
        page.goto(f"/staff/dashboard/{flow}/")
        diagram_drawn(page)
        check(page, f"supervisor: {flow} dashboard")
    page.get_by_role("button", name="به‌روزرسانی آمار").click()
    expect(page.get_by_role("main")).to_contain_text("به‌روز شده")
    diagram_drawn(page)
    check(page, "supervisor: inquiry dashboard (waits refreshed)")
    page.get_by_role("link", name="رخدادها").first.click()
    expect(page.locator("#incidents tbody tr")).to_have_count(1)
    check(page, "supervisor: incidents")


def locked_out_page(page: Page, check) -> None:
    """Last, as it locks this address out: wrong passwords until the login refuses."""
    page.goto("/accounts/login/")
    for _ in range(10):
        page.get_by_label(USERNAME).fill("citizen")
        page.get_by_label(PASSWORD).fill(DEMO_PASSWORD + "-wrong")
        page.get_by_role("button", name="ورود", exact=True).click()
        if page.get_by_role("heading", name="ورود موقتاً مسدود است").count():
            break
    expect(page.get_by_role("heading", name="ورود موقتاً مسدود است")).to_be_visible()
    check(page, "locked out")


def an_sms_given_up(case: Case) -> None:
    """What the incidents page lists when a text fails after its retries."""
    message = OutboxMessage.objects.filter(correlation=case_correlation(case)).first()
    incidents.record_failure(IncidentKind.SMS_FAILED, f"sms:{message.pk}", case=case,
                             flow_label=case.service, error="gateway timeout after 3 attempts")


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_every_page_fits_laptop_and_phone_and_reads_in_persian(demo, site, browser, tmp_path):
    fit = FitChecker()
    anonymous = browser.new_context(base_url=site, locale="fa-IR")
    anonymous.set_default_timeout(TIMEOUT_MS)
    stranger = anonymous.new_page()
    citizen_walk.anonymous_pages(stranger, fit.check)
    not_found(stranger, fit.check, "signed out")

    citizen_context, citizen = log_in(browser, site, "citizen")
    citizen_walk.transfer_pages(citizen, fit.check, tmp_path)
    not_found(citizen, fit.check, "a citizen")
    forbidden(citizen, fit.check)
    transfer = Case.objects.get(citizen__username="citizen")
    supervisor_context, supervisor = log_in(browser, site, "supervisor")
    supervisor_pages_during_inspection(supervisor, fit.check, transfer)
    inspector_context, inspector = log_in(
        browser, site, transfer.appointments.get().slot.inspector.username)
    inspector_pages(inspector, fit.check, transfer)
    inspector_context.close()
    citizen_walk.transfer_after_inspection(citizen, fit.check)

    second = citizen_walk.cases_after_inspection("citizen2")
    second_context, citizen2 = log_in(browser, site, "citizen2")
    citizen_walk.transfer_with_debt_pages(citizen2, fit.check, second)
    second_context.close()

    citizen_walk.inquiry_pages(citizen, fit.check, tmp_path)
    citizen_context.close()
    inquiry = Case.objects.get(citizen__username="citizen", service="inquiry")
    transfer.refresh_from_db()
    assert transfer.status == CaseStatus.FEES_SETTLED
    an_sms_given_up(transfer)

    supervisor_pages(supervisor, fit.check, {
        "fees settled, an incident": transfer,
        "archived, certificate": Case.objects.get(pk=second["approved"]),
        "cancelled": Case.objects.get(pk=second["cancelled"]),
        "inquiry answered": inquiry,
    })
    supervisor_context.close()

    locked_out_page(stranger, fit.check)
    anonymous.close()
    assert len(fit.checked) >= 71, fit.checked  # every walk ran to its end
    fit.assert_clean()
