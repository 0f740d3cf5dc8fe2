"""What a person does in Chromium (Playwright), shared by the browser tests: logging in
as a demo person, the wizard's buttons and notices, documents to upload, the inspector's
approval."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.files import jpeg_with_gps

DEMO_PASSWORD = "demo-pass-1405"
PHONE_SIZE = {"width": 390, "height": 844}  # a common phone, to see the pages render there
USERNAME = re.compile("نام کاربری|شناسه شهروندی")
PASSWORD = re.compile("کلمه عبور|رمز عبور")
TIMEOUT_MS = 10_000
# MANUAL.md names the button «+»: its accessible name starts with it.
ADD_SLOT = re.compile(r"^\+")


def log_in(browser: Browser, site: str, username: str, **options) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=site, locale="fa-IR", **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="ورود شهروندان").click()
    page.get_by_label(USERNAME).fill(username)
    page.get_by_label(PASSWORD).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()
    expect(page.get_by_role("button", name="خروج")).to_be_visible()
    return context, page


def next_step(page: Page) -> None:
    page.get_by_role("button", name="گام بعدی").click()


def success(page: Page):
    return page.locator(".message-success")


def green_notice(page: Page, text: str):
    """The wizard's green notice (a role=status paragraph) that contains `text`."""
    return success(page).and_(page.get_by_role("status")).filter(has_text=text)


def jpeg_files(directory: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        path = directory / f"document-{i}.jpg"
        path.write_bytes(jpeg_with_gps(size=(320 + i, 240)))  # distinct files, distinct hashes
        paths.append(path)
    return paths


# The manual writes «تایید و ارسال», the page «تأیید و ارسال»: one word, two spellings.
SEND_DOCUMENTS = re.compile("ت[اأ]یید و ارسال")


def inspector_approves(browser: Browser, site: str) -> None:
    context, page = log_in(browser, site, "inspector")
    page.goto("/staff/visits/")  # no menu link leads here yet (see report)
    page.get_by_role("link", name="ثبت نتیجه بازدید").click()
    page.get_by_label("تأیید", exact=True).check()
    page.get_by_role("button", name="ثبت نتیجه بازدید").click()
    expect(page.get_by_role("heading", name="بازدیدهای من")).to_be_visible()
    context.close()
