"""The wizard's rules, enforced on the server: what a citizen cannot get past."""

import datetime
import re
import threading

import pytest
import time_machine
from django.db import connections
from django.test import Client
from django.utils import timezone

from cases.appointments.models import Appointment
from cases.models import Case, CaseStatus
from tests.support.clients import logged_in
from tests.support.files import script_named_jpg, upload, jpeg_with_gps
from tests.support.pages import Page, fold
from tests.support.transfer_driver import A, B, PHONE, CitizenDriver, latest_code, post_button

pytestmark = pytest.mark.django_db(transaction=True)



def test_property_d_wrong_pairing_is_refused_and_next_stays_shut(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    r = citizen.step(citizen.open_services(), "گام بعدی", {"تأیید": True})
    refused = post_button(citizen.client, r, "جستجو",
                          {"کدنوسازی": A[0], "شماره درخواست یا گواهی": B[1]})
    page = Page.of(refused)
    assert refused.status_code == 400
    assert page.has("برای این کدنوسازی ثبت نشده است")
    assert "disabled" in page.form_with_button("گام بعدی").button("گام بعدی").attrs
    crafted = citizen.client.post(refused.wsgi_request.path, {"action": "next"})
    assert crafted.status_code == 400
    assert Case.objects.get().property is None


def test_renovation_code_in_persian_digits_and_slashes_is_accepted(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    r = citizen.step(citizen.open_services(), "گام بعدی", {"تأیید": True})
    found = post_button(citizen.client, r, "جستجو",
                        {"کدنوسازی": "۱۲/۳۴۵/۶۷/۸/۰/۰/۱۲", "شماره درخواست یا گواهی": "۱۴۰۳-۱۲-۰۰۰۱۲۳"})
    assert found.status_code == 200 and Page.of(found).has("مطابقت دارد")
    assert Case.objects.get().property.renovation_code == A[0]


def test_fewer_than_three_images_are_refused(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    r = citizen.upload_documents(citizen.until_documents(A), count=2)
    assert "disabled" in Page.of(r).form_with_button("گام بعدی").button("گام بعدی").attrs
    refused = post_button(citizen.client, r, "گام بعدی")  # as if the button were enabled
    assert refused.status_code == 400
    assert Page.of(refused).has("دست‌کم سه تصویر لازم است")
    assert Case.objects.get().documents.count() == 2


def test_a_script_disguised_as_jpg_is_refused_with_a_persian_message(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    r = citizen.until_documents(A)
    values = {"مالک": True, "شماره": "۱۲", "نام نهاد استعلام کننده": "دفترخانه", "تاریخ نامه": "۱۴۰۵/۰۸/۲۰"}
    refused = citizen.step(r, "تأیید و ارسال", values,
                           files={"kind_0": "national_card", "file_0": script_named_jpg()}, expect=(400,))
    assert Page.of(refused).has("فقط تصویر JPEG یا PNG پذیرفته می‌شود")
    case = Case.objects.get()
    assert case.documents.count() == 0
    assert case.letter_institution == "دفترخانه"  # what was typed is kept


def appointment_form(citizen, response):
    form = Page.of(response).form_with_button("دریافت کد تایید")
    return form.enabled_choices("starts_at")


def test_a_past_time_is_refused(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    r = citizen.until_appointment(A)
    past = (timezone.localtime() - datetime.timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    values = {"شماره تماس مالک جهت هماهنگی کارشناس": PHONE}
    citizen.step(r, "دریافت کد تایید", values, files={"starts_at": past.isoformat()}, expect=(200,))
    refused = citizen.step(r, "بررسی کد", {**values, "کد تاییدیه": latest_code()},
                           files={"starts_at": past.isoformat()}, expect=(400,))
    assert Page.of(refused).has("زمان گذشته قابل انتخاب نیست")
    assert not Appointment.objects.exists()
    # Past hours are not offered at all.
    offered = [c.attrs["value"] for c in appointment_form(citizen, r)]
    assert all(datetime.datetime.fromisoformat(v) > timezone.now() for v in offered)


def test_wrong_code_refused_sixth_try_locked_even_when_right(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    r = citizen.until_appointment(A)
    slot = appointment_form(citizen, r)[0].attrs["value"]
    values = {"شماره تماس مالک جهت هماهنگی کارشناس": PHONE}
    citizen.step(r, "دریافت کد تایید", values, files={"starts_at": slot}, expect=(200,))
    right = latest_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        refused = citizen.step(r, "بررسی کد", {**values, "کد تاییدیه": wrong}, files={"starts_at": slot},
                               expect=(400,))
        assert Page.of(refused).has("کد تاییدیه درست نیست") or Page.of(refused).has("تعداد تلاش")
    locked = citizen.step(r, "بررسی کد", {**values, "کد تاییدیه": right}, files={"starts_at": slot},
                          expect=(400,))
    assert Page.of(locked).has("تعداد تلاش‌ها بیش از حد مجاز است")
    assert not Appointment.objects.exists()
    assert citizen.client.post(r.wsgi_request.path, {"action": "next"}).status_code == 400


def test_an_expired_code_is_refused(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    r = citizen.until_appointment(A)
    slot = appointment_form(citizen, r)[0].attrs["value"]
    values = {"شماره تماس مالک جهت هماهنگی کارشناس": PHONE}
    citizen.step(r, "دریافت کد تایید", values, files={"starts_at": slot}, expect=(200,))
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        refused = citizen.step(r, "بررسی کد", {**values, "کد تاییدیه": latest_code()},
                               files={"starts_at": slot}, expect=(400,))
    assert Page.of(refused).has("منقضی")


def test_a_completed_step_cannot_be_posted_again_and_later_steps_cannot_be_reached(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    r = citizen.step(citizen.open_services(), "گام بعدی", {"تأیید": True})
    apartment_url = r.wsgi_request.path
    r = citizen.step(r, "جستجو", {"کدنوسازی": A[0], "شماره درخواست یا گواهی": A[1]}, expect=(200,))
    documents = citizen.step(r, "گام بعدی")
    # The apartment step is done: replaying it neither reopens it nor moves anything.
    replay = citizen.client.post(apartment_url, {"action": "next"})
    assert replay.status_code == 409 and Page.of(replay).has("اکنون باز نیست")
    # A guessed task URL of a step that does not exist yet leads nowhere.
    process_pk, _, task_pk = documents.wsgi_request.path.strip("/").split("/")[-4:-1]
    guess = f"/flows/transfer/{process_pk}/confirm/{int(task_pk) + 1}/execute/"
    assert citizen.client.post(guess, {"action": "next"}).status_code in (404, 409)
    case = Case.objects.get()
    assert case.status == CaseStatus.DRAFT and case.tracking_number is None


def test_going_back_keeps_answers_and_confirm_change_link_returns_to_the_step(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    r = citizen.upload_documents(citizen.until_documents(A))
    back = citizen.step(r, "گام قبلی")
    assert Page.of(back).has("انتخاب آپارتمان")
    assert A[0] in back.content.decode() or "۱۲-۳۴۵" in back.content.decode()
    r = citizen.step(back, "گام بعدی")
    assert Page.of(r).has("بارگذاری مدارک") and Case.objects.get().documents.count() == 3
    r = citizen.step(r, "گام بعدی")
    confirm = citizen.step(citizen.pick_time_and_verify(r), "گام بعدی")
    change = citizen.step(confirm, "تغییر تصویرها")
    assert Page.of(change).has("بارگذاری مدارک")
    r = citizen.step(change, "گام بعدی")
    r = citizen.step(r, "گام بعدی")  # the appointment is still held and verified
    assert Page.of(r).has("تایید و ثبت")
    registered = citizen.step(r, "تایید و ثبت")
    assert Page.of(registered).has("شماره پیگیری")
    assert Case.objects.get().status == CaseStatus.REGISTERED


# Check your answers: every answer on تایید و ثبت, the change button naming it, the step
# where it is answered (the goto value ConfirmView routes by).
CONFIRM_ANSWERS = {
    "کدنوسازی": "apartment", "شماره درخواست یا گواهی": "apartment", "نشانی": "apartment",
    "متقاضی": "documents", "شماره نامه": "documents", "نام نهاد استعلام کننده": "documents",
    "تاریخ نامه": "documents", "تصویرها": "documents",
    "تاریخ و ساعت بازدید": "appointment", "شماره تماس مالک": "appointment",
}
STEP_HEADINGS = {"apartment": "انتخاب آپارتمان", "documents": "بارگذاری مدارک",
                 "appointment": "انتخاب کارشناس بازدید"}


def current_step(response) -> str:
    """The stepper's current step (aria-current="step"), as the citizen is told it."""
    return fold(re.search(r'aria-current="step">([^<]+)<', response.content.decode()).group(1))


def change_buttons(response) -> dict[str, str]:
    """Each «تغییر …» button of the page: its accessible name → the goto value it sends."""
    form = Page.of(response).form_with_button("تایید و ثبت")
    return {fold(b.text): b.attrs["value"] for b in form.controls
            if b.tag == "button" and b.name == "goto"}


def back_to_confirm(citizen, response, step: str):
    """From the step a change button led to, forward again to تایید و ثبت."""
    for _ in range(list(STEP_HEADINGS).index(step), len(STEP_HEADINGS)):
        response = citizen.step(response, "گام بعدی")
    assert current_step(response) == "تایید و ثبت"
    return response


def test_each_answer_has_its_own_change_button_leading_to_its_step(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    confirm = citizen.until_confirm(A)
    buttons = change_buttons(confirm)
    assert buttons == {fold(f"تغییر {label}"): step for label, step in CONFIRM_ANSWERS.items()}
    html = confirm.content.decode()
    # Visibly «تغییر»; the answer it changes is in the name a screen reader reads.
    assert html.count('>تغییر<span class="visually-hidden"> ') == len(CONFIRM_ANSWERS)
    # One press of a button per step: each lands on that step, and the answers survive
    # the way back to تایید و ثبت (no script: plain submit buttons of the step form).
    for label in ("شماره درخواست یا گواهی", "تاریخ نامه", "شماره تماس مالک"):
        step = CONFIRM_ANSWERS[label]
        landed = citizen.step(confirm, f"تغییر {label}")
        assert current_step(landed) == STEP_HEADINGS[step], label
        confirm = back_to_confirm(citizen, landed, step)
    assert change_buttons(confirm) == buttons
    registered = citizen.step(confirm, "تایید و ثبت")
    assert Page.of(registered).has("شماره پیگیری")


def test_a_change_button_for_a_step_that_cannot_be_changed_is_refused(demo):
    citizen = CitizenDriver(logged_in("citizen"))
    confirm = citizen.until_confirm(A)
    refused = citizen.client.post(confirm.wsgi_request.path, {"goto": "fees"})
    assert refused.status_code == 400 and Page.of(refused).has("این گام قابل تغییر نیست")
    assert Case.objects.get().status == CaseStatus.DRAFT


@pytest.mark.django_db(transaction=True)
def test_two_citizens_racing_for_the_last_inspector_hour(demo, postgres):
    """District 3 has one inspector: two verified citizens press بررسی کد for one hour."""
    drivers, pages = [], []
    for username, phone in (("citizen", "09121110001"), ("citizen2", "09121110002")):
        driver = CitizenDriver(logged_in(username))
        pages.append(driver.until_appointment(B))
        drivers.append((driver, phone))
    slot = appointment_form(drivers[0][0], pages[0])[0].attrs["value"]
    for (driver, phone), page in zip(drivers, pages):
        driver.step(page, "دریافت کد تایید", {"شماره تماس مالک جهت هماهنگی کارشناس": phone},
                    files={"starts_at": slot}, expect=(200,))
    barrier = threading.Barrier(2)
    statuses = []

    def check(driver, phone, page):
        try:
            form = Page.of(page).form_with_button("بررسی کد")
            data = form.data({"شماره تماس مالک جهت هماهنگی کارشناس": phone, "کد تاییدیه": latest_code(phone)},
                             button="بررسی کد")
            data["starts_at"] = slot
            barrier.wait(timeout=10)
            response = driver.client.post(page.wsgi_request.path, data)
            statuses.append((response.status_code, Page.of(response).text))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check, args=(d, p, page)) for (d, p), page in zip(drivers, pages)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    codes = sorted(code for code, _ in statuses)
    assert codes == [200, 400], statuses
    loser = next(text for code, text in statuses if code == 400)
    assert "این زمان دیگر آزاد نیست" in loser
    assert Appointment.objects.live().count() == 1
