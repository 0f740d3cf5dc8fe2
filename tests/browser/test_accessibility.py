"""Every citizen page of both services, the login, registration, previous-requests and
verification pages, in their normal and error states: 0 axe-core violations for WCAG
2.0/2.1/2.2 A and AA (no rule switched off), a strict Content-Security-Policy the pages
keep (no inline script or style, no violation in the browser), reflow at 320 px and at
200 % text, and not one request to another host."""

from __future__ import annotations

import pytest

from cases.models import Case, CaseStatus
from tests.browser import citizen_walk
from tests.browser.audit import AXE, Auditor
from tests.support.browser import TIMEOUT_MS, inspector_approves, log_in


@pytest.fixture
def auditor(site):
    assert AXE.exists(), f"{AXE} missing: run `npm ci` (package.json lists axe-core)"
    return Auditor(site)


def audited_login(browser, site, auditor, username):
    context, page = log_in(browser, site, username)
    auditor.attach(context)
    page.reload()  # the init scripts apply from the next document on
    return context, page


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_anonymous_pages_pass_axe_and_csp(demo, site, browser, auditor):
    context = auditor.attach(browser.new_context(base_url=site, locale="fa-IR"))
    context.set_default_timeout(TIMEOUT_MS)
    citizen_walk.anonymous_pages(context.new_page(), auditor.check)
    context.close()
    assert len(auditor.checked) == 7
    auditor.assert_clean()


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_every_transfer_page_passes_axe_and_csp(demo, site, browser, auditor, tmp_path):
    context, page = audited_login(browser, site, auditor, "citizen")
    citizen_walk.transfer_pages(page, auditor.check, tmp_path)
    inspector_approves(browser, site)
    citizen_walk.transfer_after_inspection(page, auditor.check)
    assert Case.objects.get(citizen__username="citizen").status == CaseStatus.FEES_SETTLED
    context.close()
    assert len(auditor.checked) >= 18, auditor.checked
    auditor.assert_clean()


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_pages_after_inspection_pass_axe_and_csp(demo, site, browser, auditor):
    """A draft in the list, a cancelled case, a debt and its error, the sandbox bank, the
    paid fees, issuance, the issued certificate, the receipt and a payment problem."""
    cases = citizen_walk.cases_after_inspection("citizen2")
    context, page = audited_login(browser, site, auditor, "citizen2")
    citizen_walk.transfer_with_debt_pages(page, auditor.check, cases)
    assert Case.objects.get(pk=cases["approved"]).status == CaseStatus.ARCHIVED
    context.close()
    assert len(auditor.checked) == 10, auditor.checked
    auditor.assert_clean()


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_every_inquiry_page_passes_axe_and_csp(demo, site, browser, auditor, tmp_path):
    context, page = audited_login(browser, site, auditor, "citizen")
    citizen_walk.inquiry_pages(page, auditor.check, tmp_path)
    context.close()
    assert len(auditor.checked) == 10, auditor.checked
    auditor.assert_clean()
