"""A forced PDF failure appears under «رخدادها»; the supervisor's «تلاش دوباره» issues the
answer once. Checked by axe-core and the CSP watcher."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.certificates.models import Certificate
from cases.models import Case, CaseStatus
from tests.browser.audit import Auditor
from tests.support.browser import log_in
from tests.support.certificates import RECORDING_RENDERER
from tests.support.clients import logged_in
from tests.support.inquiry_driver import A, InquiryDriver


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_a_forced_pdf_failure_is_listed_and_retried_once(demo, site, browser, settings):
    settings.PDF_RENDERER = "tests.staff.test_incidents.BrokenRenderer"
    citizen = InquiryDriver(logged_in("citizen"))
    citizen.step(citizen.until_fees(A), "ثبت درخواست و صدور")
    case = Case.objects.get()
    assert case.status == CaseStatus.REGISTERED

    auditor = Auditor(site)
    context, page = log_in(browser, site, "supervisor", viewport={"width": 1280, "height": 800})
    auditor.attach(context)
    page.goto("/staff/dashboard/inquiry/")
    page.get_by_role("link", name="رخدادها").first.click()
    row = page.locator("#incidents tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(case.tracking_number_display)
    expect(row).to_contain_text("صدور و چاپ پاسخ استعلام")
    expect(row).to_contain_text("font missing")
    auditor.check(page, "incidents")

    settings.PDF_RENDERER = RECORDING_RENDERER  # the cause fixed
    row.get_by_role("button", name="تلاش دوباره").click()
    expect(page.get_by_role("main")).to_contain_text("رخداد بازی نیست")
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED
    assert Certificate.objects.filter(case=case).count() == 1
    auditor.assert_clean()
