"""The account pages beyond login and registration — «فراموشی رمز عبور» with its code and
new-password pages, the mobile's verification after registration, the SMS code an account
under attack asks for, the lockout page — walked in Chromium as a person does, each in
its normal and error state: 0 axe-core violations, the strict CSP kept."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cases.identity import make_valid_national_id
from integrations.sms.models import OutboxMessage
from tests.browser.audit import AXE, Auditor
from tests.support.browser import TIMEOUT_MS

DEMO_PASSWORD = "demo-pass-1405"


@pytest.fixture
def auditor(site):
    assert AXE.exists(), f"{AXE} missing: run `npm ci` (package.json lists axe-core)"
    return Auditor(site)


def latest_code(phone: str) -> str:
    message = OutboxMessage.objects.filter(to=phone, kind="verification_code").first()
    return re.search(r"#([0-9]{6})$", message.body).group(1)


def reset_pages(page: Page, check) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="فراموشی رمز عبور").click()
    check(page, "password reset")
    page.get_by_role("button", name="دریافت کد تایید").click()
    check(page, "password reset (error)")
    page.get_by_label("شماره همراه یا نام کاربری").fill("citizen")
    page.get_by_role("button", name="دریافت کد تایید").click()
    expect(page.get_by_role("heading", name="کد تایید بازیابی رمز عبور")).to_be_visible()
    check(page, "password reset code")
    page.get_by_role("button", name="بررسی کد").click()
    check(page, "password reset code (error)")
    page.get_by_label("کد تایید").fill(latest_code_of("citizen"))
    page.get_by_role("button", name="بررسی کد").click()
    expect(page.get_by_role("heading", name="کلمه عبور تازه")).to_be_visible()
    check(page, "new password")
    page.get_by_role("button", name="ثبت کلمه عبور و ورود").click()
    check(page, "new password (error)")


def latest_code_of(username: str) -> str:
    from django.contrib.auth import get_user_model

    return latest_code(get_user_model().objects.get(username=username).mobile)


def registration_verification(page: Page, check) -> None:
    page.goto("/accounts/register/")
    page.get_by_label("نام", exact=True).fill("نرگس")
    page.get_by_label("نام خانوادگی").fill("کاظمی")
    page.get_by_label("کد ملی").fill(make_valid_national_id("123456789"))
    page.get_by_label("شماره همراه").fill("09125551234")
    page.get_by_label("نام کاربری (شناسه شهروندی)").fill("narges")
    page.get_by_label("کلمه عبور (رمز عبور)").fill("Tehran-spring-1405")
    page.get_by_label("تکرار کلمه عبور").fill("Tehran-spring-1405")
    page.get_by_role("main").get_by_role("button", name="ثبت نام").click()
    expect(page.get_by_role("heading", name="تایید شماره همراه")).to_be_visible()
    check(page, "verify mobile")
    page.get_by_role("button", name="تایید و ورود").click()
    check(page, "verify mobile (error)")
    page.get_by_label("کد تایید").fill(latest_code("09125551234"))
    page.get_by_role("button", name="تایید و ورود").click()
    expect(page.get_by_role("heading", name="خدمات اختصاصی")).to_be_visible()


def login_code_and_lockout(page: Page, check, settings) -> None:
    from django.test import Client

    # Failures from many addresses: the account now asks new devices for a code.
    for n in range(settings.LOGIN_SMS_CODE_AFTER_FAILURES):
        Client(REMOTE_ADDR=f"10.7.{n}.1").post(
            "/accounts/login/", {"username": "citizen2", "password": "wrong-guess"})
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("نام کاربری")).fill("citizen2")
    page.get_by_label(re.compile("کلمه عبور")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()
    expect(page.get_by_role("heading", name="ورود با کد پیامکی")).to_be_visible()
    check(page, "login code")
    page.get_by_role("button", name="ورود", exact=True).click()
    check(page, "login code (error)")
    # Wrong passwords from this browser: its (username, address) pair is locked.
    page.goto("/accounts/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label(re.compile("نام کاربری")).fill("citizen")
        page.get_by_label(re.compile("کلمه عبور")).fill("wrong-guess")
        page.get_by_role("button", name="ورود", exact=True).click()
    expect(page.get_by_role("heading", name="ورود موقتاً مسدود است")).to_be_visible()
    check(page, "locked out")


@pytest.mark.usefixtures("chromium_installed")
@pytest.mark.django_db(transaction=True)
def test_account_pages_pass_axe_and_csp(demo, site, browser, auditor, settings):
    walks = (reset_pages, registration_verification,
             lambda page, check: login_code_and_lockout(page, check, settings))
    for walk in walks:  # each in a browser of its own, as three people would
        context = auditor.attach(browser.new_context(base_url=site, locale="fa-IR"))
        context.set_default_timeout(TIMEOUT_MS)
        walk(context.new_page(), auditor.check)
        context.close()
    assert len(auditor.checked) == 11
    auditor.assert_clean()
