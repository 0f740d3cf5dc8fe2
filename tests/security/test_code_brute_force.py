"""Guessing the SMS code through the appointment page: a few tries, then even the right
code is refused, with a Persian message, and the case never gets a verified phone."""

from __future__ import annotations

import pytest

from cases.phone_codes.services import verified_phone
from tests.support.citizen_a import latest_case
from tests.support.clients import logged_in
from tests.support.pages import Page
from tests.support.transfer_driver import A, CitizenDriver, latest_code

pytestmark = pytest.mark.django_db
PHONE = "09121119999"
PHONE_LABEL = "شماره تماس مالک جهت هماهنگی کارشناس"


def test_code_guessing_is_stopped_before_the_code_is_found(victim):
    citizen = CitizenDriver(logged_in("citizen2"))
    page = citizen.until_appointment(A)
    case = latest_case("citizen2")
    slot = Page.of(page).form_with_button("دریافت کد تایید").enabled_choices("starts_at")[0]
    extra = {"starts_at": slot.attrs["value"]}
    page = citizen.step(page, "دریافت کد تایید", {PHONE_LABEL: PHONE}, files=extra,
                        expect=(200,))
    right = latest_code(PHONE)
    guesses = [f"{(int(right) + n) % 10**6:06d}" for n in range(1, 9)]
    answers = []
    for guess in guesses:
        page = citizen.step(page, "بررسی کد", {PHONE_LABEL: PHONE, "کد تاییدیه": guess},
                            files=extra, expect=(200, 400))
        answers.append(Page.of(page).text)
    assert not any("شماره تماس تایید شد" in text for text in answers)
    page = citizen.step(page, "بررسی کد", {PHONE_LABEL: PHONE, "کد تاییدیه": right},
                        files=extra, expect=(200, 400))
    final = Page.of(page)
    assert not final.has("شماره تماس تایید شد"), "the right code worked after 8 wrong ones"
    assert verified_phone(case) is None
    assert final.has("تعداد تلاش‌ها بیش از حد مجاز است؛ کد تازه بگیرید")
    assert "کد تاییدیه درست نیست" in answers[0]  # the first guesses are told tries left
