"""Both services, whole, with JavaScript switched off: the server enforces every rule, so
nothing a citizen needs depends on a script. The transfer goes through a renovation debt
paid at the sandbox bank, issuance and the certificate's چاپ; the inquiry to its answer
and چاپ استعلام. Only the inspector (another person, on the municipality's side) is
played over HTTP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case, CaseStatus, ServiceKind
from cases.persian import fold_digits
from tests.support.browser import (
    ADD_SLOT, DEMO_PASSWORD, PASSWORD, PHONE_SIZE, SEND_DOCUMENTS, TIMEOUT_MS, USERNAME,
    green_notice, jpeg_files, next_step,
)
from tests.support.transfer_driver import A, B, PHONE, inspector_decides, latest_code

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ISSUING_MS = 60_000  # issuing renders the PDF in the request (eager Celery)
SLOW_MS = 2 * TIMEOUT_MS  # two cores shared with other test runs: a slow page is not a failure


def log_in_without_javascript(browser, site):
    context = browser.new_context(base_url=site, locale="fa-IR", java_script_enabled=False,
                                  viewport=PHONE_SIZE)
    context.set_default_timeout(SLOW_MS)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="ورود شهروندان").click()
    page.get_by_label(USERNAME).fill("citizen")
    page.get_by_label(PASSWORD).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()
    expect(page.get_by_role("button", name="خروج")).to_be_visible()
    return context, page


def assert_opens_pdf(context, page, link_name: str) -> None:
    """The print link opens the document in a new tab (target=_blank needs no script)."""
    link = page.get_by_role("link", name=link_name, exact=True)
    expect(link).to_have_attribute("target", "_blank")
    href = link.get_attribute("href")
    with page.expect_popup() as popup:
        link.click()
    # (The tab may land on a signed link to the same document.)
    expect(popup.value).to_have_url(re.compile(re.escape(href)))
    popup.value.close()
    pdf = context.request.get(href)  # with the citizen's cookies
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_transfer_request_with_javascript_off(demo, site, browser, tmp_path):
    context, page = log_in_without_javascript(browser, site)
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

    # Property B owes renovation fees: the debt is paid at the bank further on.
    page.get_by_label("کدنوسازی").fill(fold_digits(B[0]).translate(PERSIAN))
    page.get_by_label("شماره درخواست یا گواهی").fill(B[1])
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

    inspector_decides(case)  # the municipality's part: the visit approved
    citizen_pays_and_receives_the_certificate(context, page)
    context.close()


def citizen_pays_and_receives_the_certificate(context, page) -> None:
    """MANUAL.md's steps 7–10 with JavaScript off: آخرین وضعیت, گام بعدی, the debt paid at
    the bank, صدور گواهی با امکان چاپ and چاپ."""
    page.get_by_role("link", name="خدمات اختصاصی").first.click()
    page.get_by_role("link", name="درخواست های پیشین").click()
    page.get_by_role("link", name="آخرین وضعیت").first.click()
    expect(page.get_by_role("main")).to_contain_text(CaseStatus.INSPECTION_APPROVED.label)
    page.get_by_role("link", name="گام بعدی").click()

    # عوارض نوسازی: the debt, no way on (the server renders گام بعدی disabled), پرداخت آنلاین.
    expect(page.get_by_role("main")).to_contain_text("۴٬۵۰۰٬۰۰۰ ریال")
    expect(page.get_by_role("button", name="گام بعدی")).to_be_disabled()
    page.get_by_role("button", name="پرداخت آنلاین").click()
    expect(page.get_by_role("heading", name="درگاه پرداخت آزمایشی")).to_be_visible()
    page.get_by_role("button", name="پرداخت", exact=True).click()
    expect(page.get_by_text("پرداخت با موفقیت انجام شد")).to_be_visible()
    expect(page.get_by_text("این کدنوسازی فاقد بدهی می باشد")).to_be_visible()
    case = Case.objects.get(citizen__username="citizen")
    assert case.status == CaseStatus.FEES_SETTLED and case.payments.get().status == "settled"
    next_step(page)

    # صدور گواهی, then the certificate on آخرین وضعیت (بایگانی دائم) with چاپ.
    page.get_by_role("button", name="صدور گواهی با امکان چاپ").click(timeout=ISSUING_MS)
    expect(page.get_by_role("main")).to_contain_text("بایگانی دائم", timeout=ISSUING_MS)
    assert Case.objects.get(citizen__username="citizen").status == CaseStatus.ARCHIVED
    assert_opens_pdf(context, page, "چاپ")
    # The payment's receipt, from the case's payments.
    page.get_by_role("link", name=re.compile("^شماره سفارش")).click()
    expect(page.get_by_role("heading", name="رسید پرداخت عوارض نوسازی")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("پرداخت شده")


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_inquiry_with_javascript_off(demo, site, browser, tmp_path):
    context, page = log_in_without_javascript(browser, site)
    page.get_by_role("link", name="خدمات اختصاصی").first.click()
    page.get_by_role("link", name="استعلام ادارات/ ترهین").click()

    # تعهدات: refused unticked, by the server.
    next_step(page)
    expect(page).to_have_title(re.compile("^خطا: "))
    page.get_by_label("تمامی موارد فوق مورد تأیید است").check()
    next_step(page)

    # انتخاب ملک: Persian digits typed, checked by the server.
    page.get_by_label("کدنوسازی").fill(fold_digits(A[0]).translate(PERSIAN))
    page.get_by_label("شماره درخواست").fill(A[1])
    page.get_by_role("button", name="استعلام", exact=True).click()
    expect(green_notice(page, "شماره درخواست معتبر می باشد")).to_be_visible()
    next_step(page)

    expect(page.get_by_role("heading", name="بررسی سوابق")).to_be_visible()
    next_step(page)

    # بارگذاری مدارک: no way on before the letter is stored (the server renders گام بعدی
    # disabled); sending nothing is refused with the error summary.
    expect(page.get_by_role("button", name="گام بعدی")).to_be_disabled()
    page.get_by_role("button", name=SEND_DOCUMENTS).click()
    expect(page.get_by_role("alert")).to_contain_text("مشکلی وجود دارد")
    page.get_by_label("شماره نامه").fill("۴۵۶/۷۸")
    page.get_by_label("تاریخ نامه").fill("١٤٠٥/٠٨/٢٠")  # Arabic-Indic digits
    page.get_by_label("نام نهاد یا اداره استعلام کننده").fill("بانک ملی شعبه ولیعصر")
    page.get_by_label("انتخاب فایل").set_input_files(jpeg_files(tmp_path, 1)[0])
    page.get_by_role("button", name=SEND_DOCUMENTS).click()
    expect(green_notice(page, "فایل ذخیره شد")).to_be_visible()
    next_step(page)

    # تسویه عوارض: no debt on A; registering issues the answer.
    expect(page.get_by_text("این کدنوسازی فاقد بدهی می باشد")).to_be_visible()
    page.get_by_role("button", name="ثبت درخواست و صدور").click(timeout=ISSUING_MS)
    expect(page.get_by_role("main")).to_contain_text("شماره پیگیری", timeout=ISSUING_MS)
    case = Case.objects.get(citizen__username="citizen", service=ServiceKind.INQUIRY)
    assert case.status == CaseStatus.ARCHIVED

    # صدور و چاپ پاسخ استعلام: plain links, each a page of its own.
    page.get_by_role("link", name="صدور پاسخ استعلام").click()
    expect(page.locator("object.certificate-view")).to_have_attribute("type", "application/pdf")
    page.get_by_role("link", name="نمایش تصویر گواهی").click()
    image = page.locator("img.certificate-image")
    expect(image).to_have_attribute("alt", re.compile("^تصویر پاسخ استعلام"))
    page.wait_for_load_state("load")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "the answer's image did not load"
    assert_opens_pdf(context, page, "چاپ استعلام")
    page.get_by_role("link", name="درخواست های پیشین").click()
    assert fold_digits(case.tracking_number_display) in fold_digits(page.get_by_role("main").inner_text())
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
