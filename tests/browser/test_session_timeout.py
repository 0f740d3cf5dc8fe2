"""The session-timeout warning in a real browser (Debian's Chromium via Playwright):
the dialog appears before the end, تمدید نشست renews the session, and an ignored warning
ends on the login page with the Persian message."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import log_in

EXPIRED = "به دلیل مدتی بی‌فعالیتی، نشست شما پایان یافت"


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_warning_extend_and_expiry_in_the_browser(demo, site, browser, settings):
    settings.SESSION_IDLE_SECONDS_CITIZEN = 8
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 5
    context, page = log_in(browser, site, "citizen")
    page.goto("/services/")
    dialog = page.get_by_role("dialog", name="نشست شما رو به پایان است")
    expect(dialog).to_be_hidden()
    expect(dialog).to_be_visible(timeout=6_000)  # 8 - 5 = 3 s after the page loaded
    with page.expect_response("**/session/extend/") as answer:
        dialog.get_by_role("button", name="تمدید نشست").click()
    assert answer.value.status == 200
    expect(dialog).to_be_hidden()
    # Renewed on the server too: past the first 8 s, the session still answers.
    page.wait_for_timeout(6_000)
    assert page.request.get("/services/", max_redirects=0).status == 200
    # Left alone now: the page goes to the login page, which says why.
    expect(page.get_by_text(EXPIRED)).to_be_visible(timeout=30_000)
    assert "/accounts/login/" in page.url
    context.close()
