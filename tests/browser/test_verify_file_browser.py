"""A bank's clerk uploads an issued certificate's PDF to /verify/ and reads that it is
genuine; then a copy with one byte changed, and reads that it was altered. Checked by
axe-core and the CSP watcher."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from playwright.sync_api import expect

from cases.certificates.services import issue_transfer_certificate, stored_pdf
from tests.browser.audit import Auditor
from tests.support.browser import TIMEOUT_MS
from tests.support.certificates import APPROVED, NO_FEES, ready_case
from tests.support.signing import with_byte_changed


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_an_issued_pdf_reads_genuine_and_a_changed_copy_altered(site, browser, tmp_path):
    # Issued in a thread of its own: pyHanko runs its own event loop, and Playwright's is
    # running in this one. The thread's database connection is closed with it.
    def issue():
        try:
            certificate = issue_transfer_certificate(ready_case(), inspection=APPROVED,
                                                     fees=NO_FEES)
            return certificate, stored_pdf(certificate)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        certificate, pdf = pool.submit(issue).result()
    issued = tmp_path / "گواهی.pdf"
    issued.write_bytes(pdf)
    # One byte of the page's drawing (inside a stream the signature covers).
    changed = tmp_path / "گواهی-تغییر-یافته.pdf"
    changed.write_bytes(with_byte_changed(issued.read_bytes(), marker=b"stream\n"))

    auditor = Auditor(site)
    context = auditor.attach(browser.new_context(base_url=site, locale="fa-IR"))
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/verify/")
    page.get_by_label("فایل PDF", exact=True).set_input_files(issued)
    page.get_by_role("button", name="بررسی فایل").click()
    verdict = page.get_by_role("status")
    expect(verdict).to_contain_text("همان سندی است که شهرداری صادر کرده")
    expect(verdict).to_contain_text(certificate.case.tracking_number_display)
    auditor.check(page, "verify-file-genuine")

    page.get_by_label("فایل PDF", exact=True).set_input_files(changed)
    page.get_by_role("button", name="بررسی فایل").click()
    expect(page.get_by_role("status")).to_contain_text("پس از امضای شهرداری تغییر کرده است")
    auditor.check(page, "verify-file-altered")
    auditor.assert_clean()
