"""MANUAL.md's transfer chapter in a real browser, by its labels: from ورود شهروندان to چاپ.

The citizen and the inspector each get their own browser context (their own cookies),
as two people on two devices would.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from cases.models import Case, CaseStatus
from cases.persian import fold_digits
from tests.support.browser import (
    ADD_SLOT, PHONE_SIZE, green_notice, inspector_approves, jpeg_files, log_in, next_step, success,
)
from tests.support.transfer_driver import A, PHONE, latest_code


def citizen_registers(page: Page, shots: Path, tmp_path: Path) -> None:
    page.get_by_role("link", name="خدمات اختصاصی").first.click()
    page.get_by_role("link", name="درخواست انتقال").click()
    page.get_by_role("link", name="ثبت درخواست جدید").click()

    # 1. تعهدات: گام بعدی waits for the tick (wizard.js).
    expect(page.get_by_role("button", name="گام بعدی")).to_be_disabled()
    page.get_by_label("تأیید").check()
    expect(page.get_by_role("button", name="گام بعدی")).to_be_enabled()
    next_step(page)

    # 2. انتخاب آپارتمان
    page.get_by_label("کدنوسازی").fill(A[0])
    page.get_by_label("شماره درخواست یا گواهی").fill(A[1])
    page.get_by_role("button", name="جستجو").click()
    expect(green_notice(page, "مطابقت دارد")).to_be_visible()
    page.screenshot(path=shots / "apartment-selection.png", full_page=True)
    next_step(page)

    # 3. بارگذاری مدارک
    expect(page.get_by_role("heading", name="بارگذاری مدارک")).to_be_visible()
    page.get_by_label("مالک", exact=True).check()
    page.get_by_label("شماره", exact=True).fill("۱۲۳۴/۵۶")
    page.get_by_label("نام نهاد استعلام کننده").fill("دفترخانه ۱۲")
    page.get_by_label("تاریخ نامه").fill("۱۴۰۵/۰۸/۲۰")
    # The manual's «+».
    add_slot = page.get_by_role("button", name=ADD_SLOT)
    expect(add_slot).to_contain_text("+")
    for rows in (2, 3):
        add_slot.click()
        expect(page.get_by_label("انتخاب فایل")).to_have_count(rows)
    expect(page.get_by_label("شماره", exact=True)).to_have_value("۱۲۳۴/۵۶")  # kept across +
    kinds = [page.get_by_label("نوع مدرک").nth(i).input_value() for i in range(3)]
    assert len(set(kinds)) == 3, kinds  # each row offers a different missing document
    for i, path in enumerate(jpeg_files(tmp_path, 3)):
        page.get_by_label("انتخاب فایل").nth(i).set_input_files(path)
    page.get_by_role("button", name="تأیید و ارسال").click()
    expect(green_notice(page, "فایل ذخیره شد")).to_be_visible()
    expect(page.get_by_role("button", name="گام بعدی")).to_be_enabled()
    next_step(page)

    # 4. انتخاب کارشناس بازدید
    page.get_by_role("radio", disabled=False).first.check()
    page.get_by_label("شماره تماس مالک جهت هماهنگی کارشناس").fill(PHONE)
    page.get_by_role("button", name="دریافت کد تایید").click()
    expect(page.get_by_label("کد تاییدیه")).to_be_visible()
    expect(page.get_by_role("radio", checked=True)).to_have_count(1)  # the hour survives
    page.get_by_label("کد تاییدیه").fill(latest_code(PHONE))
    page.get_by_role("button", name="بررسی کد").click()
    expect(green_notice(page, "شماره تماس تایید شد")).to_be_visible()
    next_step(page)

    # 5. تایید و ثبت, 6. registered
    expect(page.get_by_role("heading", name="تایید و ثبت")).to_be_visible()
    assert not Case.objects.get(citizen__username="citizen").tracking_number
    page.get_by_role("button", name="تایید و ثبت").click()
    expect(page.get_by_role("main")).to_contain_text("شماره پیگیری")
    case = Case.objects.get(citizen__username="citizen")
    assert case.status == CaseStatus.REGISTERED
    assert fold_digits(case.tracking_number_display) in fold_digits(page.get_by_role("main").inner_text())


def citizen_receives_the_certificate(context: BrowserContext, page: Page, shots: Path) -> None:
    page.get_by_role("link", name="خدمات اختصاصی").first.click()
    page.get_by_role("link", name="درخواست های پیشین").click()
    page.get_by_role("link", name="آخرین وضعیت").click()
    page.get_by_role("link", name="گام بعدی").click()

    # 8. عوارض نوسازی
    expect(success(page)).to_have_text("این کدنوسازی فاقد بدهی می باشد")
    page.screenshot(path=shots / "fees.png", full_page=True)
    next_step(page)

    # 9. صدور گواهی, 10. بایگانی دائم
    page.get_by_role("button", name="صدور گواهی با امکان چاپ").click()
    expect(page.get_by_role("main")).to_contain_text("بایگانی دائم")
    print_link = page.get_by_role("link", name="چاپ", exact=True)
    expect(print_link).to_have_attribute("target", "_blank")
    href = print_link.get_attribute("href")
    with page.expect_popup() as popup:
        print_link.click()
    # A new tab, on the link the page's address signs for this citizen.
    expect(popup.value).to_have_url(re.compile(re.escape(href) + r"\?link=[^&]+$"))
    pdf = context.request.get(href)  # with the citizen's cookies
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # The list of درخواست های پیشین offers چاپ too, now that the certificate exists.
    page.get_by_role("link", name="درخواست های پیشین").click()
    expect(page.get_by_role("link", name="چاپ", exact=True)).to_have_attribute("href", href)


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_transfer_from_citizens_login_to_print(demo, site, browser, tmp_path):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    context, page = log_in(browser, site, "citizen", viewport=PHONE_SIZE)

    citizen_registers(page, shots, tmp_path)
    inspector_approves(browser, site)
    assert Case.objects.get(citizen__username="citizen").status == CaseStatus.INSPECTION_APPROVED
    citizen_receives_the_certificate(context, page, shots)

    assert Case.objects.get(citizen__username="citizen").status == CaseStatus.ARCHIVED
    for shot in ("apartment-selection.png", "fees.png"):
        assert (shots / shot).stat().st_size > 10_000, shot
    context.close()
