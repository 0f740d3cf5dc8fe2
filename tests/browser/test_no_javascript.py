"""A whole transfer request with JavaScript switched off: the server enforces every rule,
so nothing a citizen needs depends on a script."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case, CaseStatus
from cases.persian import fold_digits
from tests.browser.test_inquiry_browser import SEND_DOCUMENTS
from tests.browser.test_transfer_browser import (
    ADD_SLOT, DEMO_PASSWORD, PASSWORD, PHONE_SIZE, TIMEOUT_MS, USERNAME, green_notice, jpeg_files,
    next_step,
)
from tests.transfer_driver import A, PHONE, latest_code


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_transfer_request_with_javascript_off(demo, site, browser, tmp_path):
    context = browser.new_context(base_url=site, locale="fa-IR", java_script_enabled=False,
                                  viewport=PHONE_SIZE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="ورود شهروندان").click()
    page.get_by_label(USERNAME).fill("citizen")
    page.get_by_label(PASSWORD).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()
    page.get_by_role("link", name="خدمات اختصاصی").first.click()
    page.get_by_role("link", name="درخواست انتقال").click()
    page.get_by_role("link", name="ثبت درخواست جدید").click()

    # تعهدات: without the script گام بعدی is pressable; the server refuses it unticked,
    # with the error summary and «خطا: » in the title.
    # With scripts on, wizard.js keeps it disabled until ticked: enabled proves they are off.
    expect(page.get_by_role("button", name="گام بعدی")).to_be_enabled()
    next_step(page)
    expect(page).to_have_title(re.compile("^خطا: "))
    expect(page.get_by_role("alert")).to_contain_text("مشکلی وجود دارد")
    page.get_by_label("تأیید").check()
    next_step(page)

    page.get_by_label("کدنوسازی").fill(fold_digits(A[0]).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
    page.get_by_label("شماره درخواست یا گواهی").fill(A[1])
    page.get_by_role("button", name="جستجو").click()
    expect(green_notice(page, "مطابقت دارد")).to_be_visible()
    next_step(page)

    page.get_by_label("مالک", exact=True).check()
    page.get_by_label("شماره", exact=True).fill("1234/56")
    page.get_by_label("نام نهاد استعلام کننده").fill("دفترخانه ۱۲")
    page.get_by_label("تاریخ نامه").fill("١٤٠٥/٠٨/٢٠")  # Arabic-Indic digits
    for rows in (2, 3):
        page.get_by_role("button", name=ADD_SLOT).click()
        expect(page.get_by_label("انتخاب فایل")).to_have_count(rows)
    for i, path in enumerate(jpeg_files(tmp_path, 3)):
        page.get_by_label("انتخاب فایل").nth(i).set_input_files(path)
    page.get_by_role("button", name=SEND_DOCUMENTS).click()
    expect(green_notice(page, "فایل ذخیره شد")).to_be_visible()
    next_step(page)

    page.get_by_role("radio", disabled=False).first.check()
    page.get_by_label("شماره تماس مالک جهت هماهنگی کارشناس").fill(PHONE)
    page.get_by_role("button", name="دریافت کد تایید").click()
    page.get_by_label("کد تاییدیه").fill(latest_code(PHONE))
    page.get_by_role("button", name="بررسی کد").click()
    expect(green_notice(page, "شماره تماس تایید شد")).to_be_visible()
    next_step(page)

    page.get_by_role("button", name="تایید و ثبت").click()
    expect(page.get_by_role("main")).to_contain_text("شماره پیگیری")
    cases = list(Case.objects.filter(citizen__username="citizen").values_list("status", "created_at"))
    assert len(cases) == 1, cases
    case = Case.objects.get(citizen__username="citizen")
    assert case.status == CaseStatus.REGISTERED
    assert case.letter_number and case.letter_date
    # The confirmation page is a plain GET: reloading or bookmarking it registers nothing twice.
    url = page.url
    page.reload()
    expect(page.get_by_role("main")).to_contain_text("شماره پیگیری")
    page.goto(url)
    assert Case.objects.filter(citizen__username="citizen").count() == 1
    assert_prints_well(page)
    context.close()


PRINTED = """() => {
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  return {
    header: style(".site-header").display, footer: style(".site-footer").display,
    color: style("main").color, background: style("body").backgroundColor,
    tracking: parseFloat(style(".tracking-number").fontSize), body: parseFloat(style("main p, main dd").fontSize),
  };
}"""


def assert_prints_well(page) -> None:
    """The confirmation page on paper: no navigation, black on white, the tracking number large."""
    page.emulate_media(media="print")
    printed = page.evaluate(PRINTED)
    page.emulate_media(media="screen")
    assert printed["header"] == "none" and printed["footer"] == "none", printed
    assert printed["color"] == "rgb(0, 0, 0)", printed
    assert printed["background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), printed
    assert printed["tracking"] >= 1.5 * printed["body"], printed
