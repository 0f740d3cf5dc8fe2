"""The staff pages (inspector and supervisor) under the same checks as the citizen pages:
0 axe violations (WCAG 2.0/2.1/2.2 A and AA), the CSP kept, no third-party request."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from cases.models import Case
from tests.browser.audit import AXE, Auditor
from tests.support.browser import log_in
from tests.support.transfer_driver import CitizenDriver


def staff_url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        pytest.fail(f"staff page {name} is not in the URLconf")


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_staff_pages_pass_axe_and_csp(demo, site, browser):
    assert AXE.exists()
    citizen = Client()
    citizen.force_login(get_user_model().objects.get(username="citizen"))
    driver = CitizenDriver(citizen)
    driver.step(driver.until_confirm(), "تایید و ثبت")
    case = Case.objects.get(citizen__username="citizen")

    auditor = Auditor(site)
    pages = {
        "inspector": [("visits", staff_url("portal:inspector_inbox")), ("queue", staff_url("staff:queue")),
                      ("search", staff_url("staff:search"))],
        "supervisor": [("tasks", staff_url("staff:tasks")), ("case", staff_url("staff:case", case.pk)),
                       ("dashboard", staff_url("staff:dashboard", "transfer")),
                       ("case migrations", staff_url("staff:case_migrations", "transfer"))],
    }
    for username, urls in pages.items():
        context, page = log_in(browser, site, username)
        auditor.attach(context)
        for name, url in urls:
            page.goto(url)
            auditor.check(page, f"staff {username}: {name}")
        context.close()

    # The visit's inspector: the inspection form, then sent with no result chosen.
    inspector = case.appointments.get().slot.inspector.username
    context, page = log_in(browser, site, inspector)
    auditor.attach(context)
    page.goto(staff_url("portal:inspector_inbox"))
    page.get_by_role("link", name="ثبت نتیجه بازدید").first.click()
    auditor.check(page, "staff inspector: inspection form")
    page.get_by_role("button", name="ثبت نتیجه بازدید").click()
    expect(page.get_by_role("alert")).to_contain_text("مشکلی وجود دارد")
    expect(page).to_have_title(re.compile("^خطا: "))
    auditor.check(page, "staff inspector: inspection form (empty, error)")
    context.close()
    assert len(auditor.checked) == 9, auditor.checked
    auditor.assert_clean()
