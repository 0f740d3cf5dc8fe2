"""In Chromium: the visit page's documents as thumbnails (staff/_document_gallery.html)
load under the page's CSP, sit in a grid that fits a 390 px phone and a 1280 px laptop,
and open the full file in a new tab. axe-core and the CSP watcher look at the page too
(tests/browser/audit.py)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from tests.browser.audit import OVERFLOW, Auditor
from tests.support import files
from tests.support.browser import log_in
from tests.support.files import CaseDocumentFactory
from tests.support.transfer_driver import register_a_case_for_today

WIDTHS = (390, 1280)
# Each thumbnail decoded (the browser got a JPEG), its box square and on the screen.
THUMBNAILS = """() => [...document.querySelectorAll(".document-gallery img")].map((img) => {
  const box = img.getBoundingClientRect();
  return {loaded: img.complete && img.naturalWidth > 0, width: box.width, height: box.height,
          left: box.left, right: box.right, top: Math.round(box.top)};
})"""


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_the_visit_shows_thumbnails_that_fit_and_open_the_file(demo, site, browser):
    auditor = Auditor(site)
    case = register_a_case_for_today()
    CaseDocumentFactory(case=case, kind="other", content_type="application/pdf",
                        file=ContentFile(files.pdf_bytes(), name="x.pdf"))
    context, page = log_in(browser, site, "inspector")
    auditor.attach(context)
    page.goto("/staff/visits/")
    page.get_by_role("link", name="ثبت نتیجه بازدید").first.click()
    expect(page.locator(".document-gallery img")).to_have_count(3)

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.locator(".document-gallery").scroll_into_view_if_needed()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.document-gallery img')]"
            ".every((img) => img.complete && img.naturalWidth > 0)")
        thumbnails = page.evaluate(THUMBNAILS)
        assert all(t["loaded"] for t in thumbnails), thumbnails
        assert all(abs(t["width"] - t["height"]) < 1 for t in thumbnails), thumbnails
        assert all(t["left"] >= 0 and t["right"] <= width for t in thumbnails), thumbnails
        # Right to left: the first document at the right of its row, the next to its left.
        first, second = thumbnails[:2]
        assert first["top"] == second["top"] and second["right"] <= first["left"], thumbnails
        layout = page.evaluate(OVERFLOW)
        assert layout["scroll"] <= width and not layout["wide"], (width, layout)
    expect(page.get_by_role("link", name="سایر مدارک (فایل پی‌دی‌اف)")).to_be_visible()
    auditor.check(page, "inspection with thumbnails")
    auditor.assert_clean()

    # Not audited: Chromium's own viewer of a lone image styles itself inline, which the
    # CSP every response carries refuses (it shows the picture all the same).
    with context.expect_page() as opened:
        page.get_by_role("link", name="کارت ملی").click()
    full = opened.value
    full.wait_for_load_state()
    assert full.evaluate("() => document.images[0].naturalWidth") == 320  # the file itself
    context.close()
