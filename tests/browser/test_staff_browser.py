"""In a phone-sized Chromium: the inspector finds today's visit and approves it; the
supervisor's dashboard, brought up to date with «به‌روزرسانی آمار», shows the case leave
the inspection node. Every staff page
visited is checked by axe-core and the CSP watcher (tests/browser/audit.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cases.models import CaseStatus
from tests.browser.audit import AXE, Auditor
from tests.support.browser import PHONE_SIZE, log_in
from tests.support.transfer_driver import register_a_case_for_today


def waiting_at_inspection(page) -> int:
    return int(page.locator("tr.node-row-inspection td[data-waiting]").get_attribute("data-waiting"))


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_inspector_approves_todays_visit_and_the_dashboard_moves(demo, site, browser):
    assert AXE.exists(), f"{AXE} missing: run `npm ci`"
    auditor = Auditor(site)
    case = register_a_case_for_today()
    task = case.process.task_set.get(flow_task="flows/transfer_flow.TransferFlow.inspection")
    if task.owner.username != "inspector":  # the booked slot's inspector was inspector2
        task.owner = get_user_model().objects.get(username="inspector")
        task.save()

    boss, dashboard = log_in(browser, site, "supervisor")
    auditor.attach(boss)
    dashboard.goto("/staff/dashboard/transfer/")
    dashboard.get_by_role("button", name="به‌روزرسانی آمار").click()
    expect(dashboard.get_by_text("خلاصه آمار به‌روز شد.")).to_be_visible()
    auditor.check(dashboard, "dashboard before")
    before = waiting_at_inspection(dashboard)
    assert before >= 1

    context, page = log_in(browser, site, "inspector", viewport=PHONE_SIZE)
    auditor.attach(context)
    page.goto("/")
    page.get_by_role("link", name="بازدیدهای من").first.click()
    today = page.locator("section.visit-section-today")
    expect(today).to_contain_text(case.property.address)
    auditor.check(page, "my visits")
    today.get_by_role("link", name="ثبت نتیجه بازدید").click()
    page.get_by_label("تأیید", exact=True).check()
    page.get_by_role("button", name="ثبت نتیجه بازدید").click()
    expect(page.get_by_role("heading", name="بازدیدهای من")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text(case.property.address)
    case.refresh_from_db()
    assert case.status == CaseStatus.INSPECTION_APPROVED
    page.get_by_role("link", name="کارهای بدون کارشناس").click()
    auditor.check(page, "queue")
    page.get_by_role("link", name="جستجوی پرونده").click()
    page.get_by_label("شماره پیگیری، کدنوسازی، نام یا تلفن").fill(case.tracking_number)
    page.get_by_role("button", name="جستجو").click()
    auditor.check(page, "search")
    page.get_by_role("link", name=case.tracking_number_display).click()
    expect(page.get_by_role("heading", name="سابقه پرونده")).to_be_visible()
    auditor.check(page, "case page")
    context.close()

    dashboard.reload()
    assert waiting_at_inspection(dashboard) == before  # the counts of the last refresh
    dashboard.get_by_role("button", name="به‌روزرسانی آمار").click()
    expect(dashboard.get_by_text("خلاصه آمار به‌روز شد.")).to_be_visible()
    assert waiting_at_inspection(dashboard) == before - 1
    dashboard.get_by_role("link", name="کارهای باز").click()
    auditor.check(dashboard, "open tasks")
    boss.close()
    auditor.assert_clean()
