"""A transfer request and an inquiry completed with the keyboard alone (Tab, Shift+Tab,
Space, Enter, arrow keys in the calendar), with the focus visible on every control met,
and the calendar's hours read with their Jalali date and time. The transfer goes on past
the inspector's visit (played over HTTP: another person's part) through a renovation
debt paid at the sandbox bank, issuance and the certificate's چاپ."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cases.models import Case, CaseStatus, ServiceKind
from tests.browser.keyboard import Keyboard
from tests.support.browser import SEND_DOCUMENTS, TIMEOUT_MS, green_notice, jpeg_files
from tests.support.transfer_driver import A, B, PHONE, inspector_decides, latest_code

NEXT = re.compile("^گام بعدی$")
JALALI_HOUR = re.compile(r"^(شنبه|یکشنبه|دوشنبه|سه‌شنبه|چهارشنبه|پنجشنبه|جمعه) [۰-۹]+ \S+، ساعت [۰-۹]{2}:[۰-۹]{2}$")


def keyboard_login(page: Page, keys: Keyboard) -> None:
    page.goto("/")
    keys.follow_link("ورود شهروندان")
    # The username field takes the focus on load (autofocus); typing before it has it
    # would lose the first keys.
    expect(page.get_by_role("textbox", name=re.compile("نام کاربری"))).to_be_focused()
    page.keyboard.type("citizen")
    keys.type_into(re.compile("کلمه عبور|رمز عبور"), "demo-pass-1405")
    keys.press_button(re.compile("^ورود$"))
    expect(page.get_by_role("button", name="خروج")).to_be_visible()


def keyboard_commitments(page: Page, keys: Keyboard, label: str) -> None:
    keys.tab_to(label)
    page.keyboard.press("Space")
    expect(page.get_by_label(label)).to_be_checked()
    keys.press_button(NEXT)


def keyboard_property(page: Page, keys: Keyboard, number_label: str, search: str, found: str,
                      code: tuple[str, str] = A) -> None:
    keys.type_into("کدنوسازی", code[0])
    keys.type_into(number_label, code[1])
    keys.press_button(re.compile(f"^{search}$"))
    expect(green_notice(page, found)).to_be_visible()
    keys.press_button(NEXT)


def keyboard_calendar(page: Page, keys: Keyboard) -> None:
    first = keys.tab_to(JALALI_HOUR)  # a radio, announced with its day and hour
    assert first["type"] == "radio", first
    page.keyboard.press("Space")
    checked = page.get_by_role("radio", checked=True)
    expect(checked).to_have_count(1)
    before = checked.get_attribute("value")
    page.keyboard.press("ArrowLeft")  # next hour in RTL
    after = page.get_by_role("radio", checked=True).get_attribute("value")
    assert after != before, "the arrow key did not move within the calendar"
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("radio", checked=True).get_attribute("value") == before
    name = page.get_by_role("radio", checked=True).evaluate("r => r.labels[0].innerText")
    assert JALALI_HOUR.match(re.sub(r"\s+", " ", name).strip()), name


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_transfer_request_with_the_keyboard_only(demo, site, browser, tmp_path):
    context = browser.new_context(base_url=site, locale="fa-IR")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    keys = Keyboard(page)
    keyboard_login(page, keys)
    keys.follow_link("درخواست انتقال")
    keys.follow_link("ثبت درخواست جدید")

    keyboard_commitments(page, keys, "تأیید")
    # Property B owes renovation fees, paid at the bank after the visit.
    keyboard_property(page, keys, "شماره درخواست یا گواهی", "جستجو", "مطابقت دارد", code=B)

    # بارگذاری مدارک: the radio, the letter, three files through the file chooser, «+».
    keys.tab_to(re.compile("^مالک$"))
    page.keyboard.press("Space")
    expect(page.get_by_label("مالک", exact=True)).to_be_checked()
    keys.type_into(re.compile("^شماره$"), "۱۲۳۴/۵۶")
    keys.type_into("نام نهاد استعلام کننده", "دفترخانه ۱۲")
    keys.type_into("تاریخ نامه", "۱۴۰۵/۰۸/۲۰")
    # Shift+Tab goes back to the field before, what was typed still there.
    keys.tab_to("نام نهاد استعلام کننده", backwards=True)
    assert page.evaluate("document.activeElement.value") == "دفترخانه ۱۲"
    for _ in range(2):
        keys.press_button(re.compile(r"^\+"))
    paths = jpeg_files(tmp_path, 3)
    # Chromium shows one page at most two file choosers in a row from key presses, so
    # the third image goes up in a second round, as a citizen may well do.
    for i in range(2):
        keys.choose_file("انتخاب فایل", paths[i])
    files = page.get_by_label("انتخاب فایل")
    assert sorted(f.evaluate("f => f.files.length") for f in files.all()) == [0, 1, 1]
    keys.press_button(SEND_DOCUMENTS)
    expect(green_notice(page, "فایل ذخیره شد")).to_be_visible()
    keys.choose_file("انتخاب فایل", paths[2])
    keys.press_button(SEND_DOCUMENTS)
    expect(page.get_by_role("button", name="گام بعدی")).to_be_enabled()
    keys.press_button(NEXT)

    # انتخاب کارشناس بازدید: arrows in the calendar, Enter on the buttons.
    keyboard_calendar(page, keys)
    keys.type_into("شماره تماس مالک", PHONE)
    keys.press_button("دریافت کد تایید")
    keys.type_into("کد تاییدیه", latest_code(PHONE))
    keys.press_button("بررسی کد")
    expect(green_notice(page, "شماره تماس تایید شد")).to_be_visible()
    keys.press_button(NEXT)

    keys.press_button("تایید و ثبت")
    expect(page.get_by_role("main")).to_contain_text("شماره پیگیری")
    case = Case.objects.get(citizen__username="citizen")
    assert case.status == CaseStatus.REGISTERED

    inspector_decides(case)  # the visit approved
    keyboard_fees_and_certificate(page, keys)
    assert Case.objects.get(citizen__username="citizen").status == CaseStatus.ARCHIVED
    assert not keys.unfocused, f"focus not visible on: {keys.unfocused}"
    context.close()


def keyboard_fees_and_certificate(page: Page, keys: Keyboard) -> None:
    """آخرین وضعیت → گام بعدی → پرداخت آنلاین → the bank's پرداخت → صدور گواهی با امکان چاپ
    → چاپ, each reached with Tab and pressed with Enter."""
    keys.follow_link("درخواست های پیشین")
    keys.follow_link("آخرین وضعیت")
    keys.follow_link(NEXT)
    expect(page.get_by_role("main")).to_contain_text("۴٬۵۰۰٬۰۰۰ ریال")
    keys.press_button("پرداخت آنلاین")
    expect(page.get_by_role("heading", name="درگاه پرداخت آزمایشی")).to_be_visible()
    keys.press_button(re.compile("^پرداخت$"))
    expect(page.get_by_text("پرداخت با موفقیت انجام شد")).to_be_visible()
    assert Case.objects.get(citizen__username="citizen").status == CaseStatus.FEES_SETTLED
    keys.press_button(NEXT)
    keys.press_button("صدور گواهی با امکان چاپ", timeout=60_000)  # renders the PDF
    expect(page.get_by_role("main")).to_contain_text("بایگانی دائم")
    keys.tab_to(re.compile("^چاپ$"), tag="a")
    with page.expect_popup() as popup:
        page.keyboard.press("Enter")
    popup.value.wait_for_load_state()
    assert "/certificates/case/" in popup.value.url, popup.value.url
    popup.value.close()


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_inquiry_with_the_keyboard_only(demo, site, browser, tmp_path):
    context = browser.new_context(base_url=site, locale="fa-IR")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    keys = Keyboard(page)
    keyboard_login(page, keys)
    keys.follow_link("استعلام ادارات/ ترهین")

    keyboard_commitments(page, keys, "تمامی موارد فوق مورد تأیید است")
    keyboard_property(page, keys, "شماره درخواست", "استعلام", "شماره درخواست معتبر می باشد")
    keys.press_button(NEXT)  # بررسی سوابق

    keys.type_into("شماره نامه", "۴۵۶/۷۸")
    keys.type_into("تاریخ نامه", "۱۴۰۵/۰۸/۲۰")
    keys.type_into("نام نهاد یا اداره استعلام کننده", "بانک ملی شعبه ولیعصر")
    keys.choose_file("انتخاب فایل", jpeg_files(tmp_path, 1)[0])
    keys.press_button(SEND_DOCUMENTS)
    expect(green_notice(page, "فایل ذخیره شد")).to_be_visible()
    keys.press_button(NEXT)

    keys.press_button("ثبت درخواست و صدور", key="Space", timeout=60_000)  # issues the PDF
    expect(page.get_by_role("main")).to_contain_text("شماره پیگیری")
    case = Case.objects.get(citizen__username="citizen", service=ServiceKind.INQUIRY)
    assert case.status == CaseStatus.ARCHIVED
    assert not keys.unfocused, f"focus not visible on: {keys.unfocused}"
    context.close()
