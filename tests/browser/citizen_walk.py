"""Walk every page a citizen sees in both services, each in its normal state and in its
error state (the form submitted empty), calling `visit(page, name)` on each.

The walks follow MANUAL.md by its labels (as the other browser tests do); the error
states are reached the way a person reaches them: pressing the page's button with
nothing filled in. Where گام بعدی is disabled until the step is complete, the button is
enabled first, as a citizen without JavaScript (or with a crafted form) would find it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.support.browser import ADD_SLOT, SEND_DOCUMENTS, green_notice, jpeg_files, next_step
from tests.support.transfer_driver import (
    A, B, PHONE, CitizenDriver, inspector_decides, latest_code, logged_in, register_transfer,
)

Visit = Callable[[Page, str], None]
ISSUING_MS = 60_000


def force_next(page: Page, name: str = "گام بعدی") -> None:
    """Press a button that the page shows disabled (the server must still refuse)."""
    button = page.get_by_role("button", name=name)
    button.evaluate("b => { b.disabled = false; b.removeAttribute('aria-disabled'); }")
    button.click()


def anonymous_pages(page: Page, visit: Visit) -> None:
    page.goto("/")
    visit(page, "home")
    page.goto("/accounts/login/")
    visit(page, "login")
    page.get_by_role("button", name="ورود", exact=True).click()
    visit(page, "login (error)")
    page.goto("/accounts/register/")
    visit(page, "register")
    page.get_by_role("main").get_by_role("button", name="ثبت نام").click()
    visit(page, "register (error)")
    page.goto("/verify/")
    visit(page, "verify")
    page.get_by_role("button", name="بررسی", exact=True).click()
    visit(page, "verify (error)")


def transfer_pages(page: Page, visit: Visit, tmp_path: Path) -> None:
    page.get_by_role("link", name="خدمات اختصاصی").first.click()
    visit(page, "services")
    page.get_by_role("link", name="درخواست انتقال").click()
    visit(page, "transfer service")
    page.get_by_role("link", name="ثبت درخواست جدید").click()

    visit(page, "transfer: commitments")
    force_next(page)
    visit(page, "transfer: commitments (error)")
    page.get_by_label("تأیید").check()
    next_step(page)

    visit(page, "transfer: apartment")
    page.get_by_role("button", name="جستجو").click()
    visit(page, "transfer: apartment (error)")
    page.get_by_label("کدنوسازی").fill(A[0])
    page.get_by_label("شماره درخواست یا گواهی").fill(A[1])
    page.get_by_role("button", name="جستجو").click()
    expect(green_notice(page, "مطابقت دارد")).to_be_visible()
    visit(page, "transfer: apartment (found)")
    next_step(page)

    visit(page, "transfer: documents")
    force_next(page)
    visit(page, "transfer: documents (error)")
    page.get_by_label("مالک", exact=True).check()
    page.get_by_label("شماره", exact=True).fill("۱۲۳۴/۵۶")
    page.get_by_label("نام نهاد استعلام کننده").fill("دفترخانه ۱۲")
    page.get_by_label("تاریخ نامه").fill("۱۴۰۵/۰۸/۲۰")
    for rows in (2, 3):
        page.get_by_role("button", name=ADD_SLOT).click()
        expect(page.get_by_label("انتخاب فایل")).to_have_count(rows)
    for i, path in enumerate(jpeg_files(tmp_path, 3)):
        page.get_by_label("انتخاب فایل").nth(i).set_input_files(path)
    page.get_by_role("button", name=SEND_DOCUMENTS).click()
    expect(green_notice(page, "فایل ذخیره شد")).to_be_visible()
    visit(page, "transfer: documents (uploaded)")
    next_step(page)

    visit(page, "transfer: appointment")
    page.get_by_role("button", name="دریافت کد تایید").click()
    visit(page, "transfer: appointment (error)")
    page.get_by_role("radio", disabled=False).first.check()
    page.get_by_label("شماره تماس مالک جهت هماهنگی کارشناس").fill(PHONE)
    page.get_by_role("button", name="دریافت کد تایید").click()
    expect(page.get_by_role("radio", checked=True)).to_have_count(1)
    page.get_by_label("کد تاییدیه").fill(latest_code(PHONE))
    page.get_by_role("button", name="بررسی کد").click()
    expect(green_notice(page, "شماره تماس تایید شد")).to_be_visible()
    visit(page, "transfer: appointment (verified)")
    next_step(page)

    visit(page, "transfer: confirm")
    page.get_by_role("button", name="تایید و ثبت").click()
    expect(page.get_by_role("main")).to_contain_text("شماره پیگیری")
    visit(page, "transfer: registered")

    page.get_by_role("link", name="درخواست های پیشین").first.click()
    visit(page, "previous requests")


def transfer_after_inspection(page: Page, visit: Visit) -> None:
    page.get_by_role("link", name="خدمات اختصاصی").first.click()
    page.get_by_role("link", name="درخواست های پیشین").click()
    page.get_by_role("link", name="آخرین وضعیت").first.click()
    visit(page, "transfer: case status (approved)")
    page.get_by_role("link", name="گام بعدی").click()
    visit(page, "transfer: fees")
    next_step(page)
    visit(page, "transfer: issuance")
    # Issuing with the certificate shown is walked by transfer_with_debt_pages.


def cases_after_inspection(username: str) -> dict[str, int]:
    """Set up over HTTP, as MANUAL.md's citizen and inspector would: a transfer on A that
    the inspector cancelled (ابطال), one on B (which owes renovation fees) that the
    inspector approved, and a new transfer left at its first step (a draft)."""
    cancelled = register_transfer(username, A)
    inspector_decides(cancelled, "ابطال", "نقشه با وضع موجود مطابقت ندارد")
    approved = register_transfer(username, B)
    inspector_decides(approved)
    driver = CitizenDriver(logged_in(username))
    driver.step(driver.open_services(), "گام بعدی", {"تأیید": True})
    return {"cancelled": cancelled.pk, "approved": approved.pk}


def transfer_with_debt_pages(page: Page, visit: Visit, cases: dict[str, int]) -> None:
    """From درخواست های پیشین (a draft, a cancelled and an approved case) through the debt,
    the sandbox bank, issuance, the certificate, the receipt and a payment problem."""
    page.get_by_role("link", name="خدمات اختصاصی").first.click()
    page.get_by_role("link", name="درخواست های پیشین").click()
    expect(page.locator(".draft-badge")).to_have_count(1)
    visit(page, "previous requests (a draft, a cancelled case)")
    page.goto(f"/services/cases/{cases['cancelled']}/")
    expect(page.get_by_role("main")).to_contain_text("ابطال")
    visit(page, "transfer: case status (cancelled)")

    page.goto(f"/services/cases/{cases['approved']}/")
    page.get_by_role("link", name="گام بعدی").click()
    expect(page.get_by_role("button", name="پرداخت آنلاین")).to_be_visible()
    visit(page, "transfer: fees (debt)")
    force_next(page)
    expect(page.get_by_role("alert")).to_contain_text("تا بدهی عوارض نوسازی پرداخت نشود")
    visit(page, "transfer: fees (debt, error)")
    page.get_by_role("button", name="پرداخت آنلاین").click()
    visit(page, "sandbox bank")
    page.get_by_role("button", name="پرداخت", exact=True).click()
    expect(page.get_by_text("پرداخت با موفقیت انجام شد")).to_be_visible()
    visit(page, "transfer: fees (paid)")
    next_step(page)
    visit(page, "transfer: issuance")
    page.get_by_role("button", name="صدور گواهی با امکان چاپ").click(timeout=ISSUING_MS)
    expect(page.get_by_role("main")).to_contain_text("بایگانی دائم", timeout=ISSUING_MS)
    visit(page, "transfer: case status (archived, certificate)")
    page.get_by_role("link", name=re.compile("^شماره سفارش")).click()
    visit(page, "payment receipt")
    # A return from the bank that does not verify: the payment problem page.
    page.goto("/payments/callback/?status=OK&token=forged")
    expect(page.get_by_role("heading", name="پرداخت")).to_be_visible()
    visit(page, "payment problem")


def inquiry_pages(page: Page, visit: Visit, tmp_path: Path) -> None:
    page.get_by_role("link", name="خدمات اختصاصی").first.click()
    page.get_by_role("link", name="استعلام ادارات/ ترهین").click()

    visit(page, "inquiry: commitments")
    force_next(page)
    visit(page, "inquiry: commitments (error)")
    page.get_by_label("تمامی موارد فوق مورد تأیید است").check()
    next_step(page)

    visit(page, "inquiry: property")
    page.get_by_role("button", name="استعلام", exact=True).click()
    visit(page, "inquiry: property (error)")
    page.get_by_label("کدنوسازی").fill(A[0])
    page.get_by_label("شماره درخواست").fill(A[1])
    page.get_by_role("button", name="استعلام", exact=True).click()
    expect(green_notice(page, "شماره درخواست معتبر می باشد")).to_be_visible()
    next_step(page)

    visit(page, "inquiry: records")
    next_step(page)

    visit(page, "inquiry: documents")
    force_next(page)
    visit(page, "inquiry: documents (error)")
    page.get_by_label("شماره نامه").fill("۴۵۶/۷۸")
    page.get_by_label("تاریخ نامه").fill("۱۴۰۵/۰۸/۲۰")
    page.get_by_label("نام نهاد یا اداره استعلام کننده").fill("بانک ملی شعبه ولیعصر")
    page.get_by_label("انتخاب فایل").set_input_files(jpeg_files(tmp_path, 1)[0])
    page.get_by_role("button", name=SEND_DOCUMENTS).click()
    expect(green_notice(page, "فایل ذخیره شد")).to_be_visible()
    next_step(page)

    visit(page, "inquiry: fees")
    # Registering issues the answer's PDF in the same request (eager Celery): slow.
    page.get_by_role("button", name="ثبت درخواست و صدور").click(timeout=ISSUING_MS)
    expect(page.get_by_role("main")).to_contain_text("شماره پیگیری", timeout=ISSUING_MS)
    visit(page, "inquiry: answer")
    page.get_by_role("link", name="نمایش تصویر گواهی").click()
    visit(page, "inquiry: answer image")
