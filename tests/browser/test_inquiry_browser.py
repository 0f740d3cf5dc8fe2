"""MANUAL.md's inquiry chapter (Service 2) in a real browser, by its labels.

From ورود شهروندان to the answer's چاپ استعلام, then the answer checked on /verify/ by
someone with no account (a bank clerk), as the printed code invites.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from cases.certificates.models import Certificate
from cases.models import Case, CaseStatus, ServiceKind
from cases.persian import fold_digits
from tests.support.browser import (
    SEND_DOCUMENTS,
    TIMEOUT_MS,
    green_notice,
    jpeg_files,
    log_in,
    next_step,
    success,
)

RENOVATION_CODE = "12-345-67-8-0-0-12"
REQUEST_NUMBER = "1403-12-000123"
ADDRESS = "خیابان ولیعصر، کوچه بهار، پلاک ۱۴"
STEPS = [
    "تعهدات",
    "انتخاب ملک",
    "بررسی سوابق",
    "بارگذاری مدارک",
    "تسویه عوارض",
    "صدور و چاپ پاسخ استعلام",
]


def citizen_registers_the_inquiry(page: Page, tmp_path: Path) -> None:
    page.get_by_role("link", name="خدمات اختصاصی").first.click()
    page.get_by_role("link", name="استعلام ادارات/ ترهین").click()

    # Straight into step 1, with all six steps in the stepper.
    stepper = page.get_by_role("list", name="گام‌های درخواست")
    expect(stepper.get_by_role("listitem")).to_have_text(STEPS)
    expect(stepper.locator("[aria-current=step]")).to_have_text("تعهدات")

    # 1. تعهدات
    expect(page.get_by_role("button", name="گام بعدی")).to_be_disabled()
    page.get_by_label("تمامی موارد فوق مورد تأیید است").check()
    expect(page.get_by_role("button", name="گام بعدی")).to_be_enabled()
    next_step(page)

    # 2. انتخاب ملک
    page.get_by_label("کدنوسازی").fill(RENOVATION_CODE)
    page.get_by_label("شماره درخواست").fill(REQUEST_NUMBER)
    page.get_by_role("button", name="استعلام", exact=True).click()
    expect(green_notice(page, "شماره درخواست معتبر می باشد")).to_be_visible()
    next_step(page)

    # 3. بررسی سوابق: the latest certificate for this code.
    expect(page.get_by_role("heading", name="بررسی سوابق")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("۱۲-۱۴۰۳-۷۷۸۱")
    next_step(page)

    # 4. بارگذاری مدارک
    expect(page.get_by_role("heading", name="بارگذاری مدارک")).to_be_visible()
    page.get_by_label("شماره نامه").fill("۴۵۶/۷۸")
    page.get_by_label("تاریخ نامه").fill("۱۴۰۵/۰۸/۲۰")
    page.get_by_label("نام نهاد یا اداره استعلام کننده").fill("بانک ملی شعبه ولیعصر")
    kind = page.get_by_label("نوع مدرک")
    expect(kind).to_have_count(1)
    expect(kind.locator("option:checked")).to_have_text("تصویر نامه استعلام")
    page.get_by_label("انتخاب فایل").set_input_files(jpeg_files(tmp_path, 1)[0])
    page.get_by_role("button", name=SEND_DOCUMENTS).click()
    expect(green_notice(page, "فایل ذخیره شد")).to_be_visible()
    expect(page.get_by_label("شماره نامه")).to_have_value("۴۵۶/۷۸")
    next_step(page)

    # 5. تسویه عوارض
    expect(success(page).filter(has_text="این کدنوسازی فاقد بدهی می باشد")).to_be_visible()
    assert not Case.objects.get(citizen__username="citizen").tracking_number
    page.get_by_role("button", name="ثبت درخواست و صدور").click()


def citizen_sees_the_answer(context: BrowserContext, page: Page) -> tuple[Case, str]:
    # 6. صدور و چاپ پاسخ استعلام
    main = page.get_by_role("main")
    expect(main).to_contain_text("شماره پیگیری")
    case = Case.objects.get(citizen__username="citizen", service=ServiceKind.INQUIRY)
    assert case.status == CaseStatus.ARCHIVED
    assert fold_digits(case.tracking_number_display) in fold_digits(main.inner_text())

    page.get_by_role("link", name="صدور پاسخ استعلام").click()
    expect(page.get_by_role("main").locator("object[type='application/pdf']")).to_have_count(1)

    page.get_by_role("link", name="نمایش تصویر گواهی").click()
    image = page.get_by_role("img", name=re.compile("تصویر پاسخ استعلام"))
    expect(image).to_be_visible()
    page.wait_for_function("img => img.complete", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") > 0

    print_link = page.get_by_role("link", name="چاپ استعلام")
    expect(print_link).to_have_attribute("target", "_blank")
    with page.expect_popup() as popup:
        print_link.click()
    tab = popup.value
    tab.wait_for_load_state("commit")
    href = print_link.get_attribute("href")
    # The page's address hands the browser a link signed for this citizen.
    assert re.search(re.escape(href) + r"\?link=[^&]+$", tab.url), tab.url
    pdf = context.request.get(tab.url)  # with the citizen's cookies
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    tab.close()
    return case, href


def anyone_verifies(browser: Browser, site: str, tracking_shown: str, code: str) -> None:
    """A second context, no login: whoever holds the printed answer checks it."""
    context = browser.new_context(base_url=site, locale="fa-IR")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/verify/")
    page.get_by_label("شماره پیگیری").fill(tracking_shown)
    page.get_by_label("کد تصدیق").fill(code)
    page.get_by_role("button", name="بررسی", exact=True).click()
    verified = page.get_by_role("status")
    expect(verified.locator(".message-success")).to_have_text("معتبر")
    expect(verified).to_contain_text(ADDRESS)

    forged = "".join(str((int(d) + 1) % 10) if d.isdigit() else d for d in code)
    page.get_by_label("شماره پیگیری").fill(tracking_shown)
    page.get_by_label("کد تصدیق").fill(forged)
    page.get_by_role("button", name="بررسی", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("شماره پیگیری یا کد تصدیق درست نیست")
    expect(page.get_by_role("status")).to_have_count(0)
    context.close()


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_inquiry_from_citizens_login_to_verification(demo, site, browser, tmp_path):
    context, page = log_in(browser, site, "citizen")

    citizen_registers_the_inquiry(page, tmp_path)
    case, pdf_href = citizen_sees_the_answer(context, page)

    tracking_shown = page.locator(".tracking-number").inner_text().strip()
    assert re.fullmatch(r"[۰-۹ ]+", tracking_shown) and " " in tracking_shown, tracking_shown
    code = Certificate.objects.get(case=case).verification_code
    anyone_verifies(browser, site, tracking_shown, code)

    page.get_by_role("link", name="خدمات اختصاصی").first.click()
    page.get_by_role("link", name="درخواست های پیشین").click()
    row = page.get_by_role("row").filter(has_text=tracking_shown)
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name="آخرین وضعیت")).to_be_visible()
    expect(row.get_by_role("link", name="چاپ", exact=True)).to_have_attribute("href", pdf_href)
    context.close()
