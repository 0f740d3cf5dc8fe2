"""Drive the transfer service through HTTP as MANUAL.md tells a citizen to, by labels."""

from __future__ import annotations

import re

from django.test import Client

from integrations.sms.models import OutboxMessage
from tests.support.clients import logged_in
from tests.support.files import jpeg_with_gps, upload
from tests.support.pages import Page

A = ("12-345-67-8-0-0-12", "1403-12-000123")
B = ("3-114-25-1-0-0-5", "1404-03-004567")
PHONE = "09121112233"


def post_button(client: Client, response, button: str, values: dict | None = None, files=None):
    page = Page.of(response)
    form = page.form_with_button(button)
    data = form.data(values or {}, button=button)
    if files:
        data.update(files)
    url = form.attrs.get("action") or response.wsgi_request.get_full_path()
    return client.post(url, data)


def follow(client: Client, response):
    while response.status_code in (301, 302, 303):
        response = client.get(response["Location"])
    return response


def latest_code(phone: str = PHONE) -> str:
    body = OutboxMessage.objects.filter(to=phone, kind="verification_code").latest("pk").body
    return re.search(r"\b(\d{6})\b", body).group(1)


class CitizenDriver:
    def __init__(self, client: Client):
        self.client = client
        self.page = None

    def open_services(self):
        services = Page.of(self.client.get("/services/"))
        transfer = self.client.get(services.link("درخواست انتقال"))
        return self.client.get(Page.of(transfer).link("ثبت درخواست جدید"))

    def step(self, response, button, values=None, files=None, expect=(302,)):
        response = post_button(self.client, response, button, values, files)
        assert response.status_code in expect, (response.status_code, Page.of(response).text[:800])
        return follow(self.client, response)

    def until_documents(self, code=A):
        r = self.open_services()
        r = self.step(r, "گام بعدی", {"تأیید": True})
        r = self.step(r, "جستجو", {"کدنوسازی": code[0], "شماره درخواست یا گواهی": code[1]}, expect=(200,))
        assert Page.of(r).has("مطابقت دارد"), Page.of(r).text[:500]
        return self.step(r, "گام بعدی")

    def until_appointment(self, code=A, role="مالک"):
        r = self.upload_documents(self.until_documents(code), role)
        return self.step(r, "گام بعدی")

    def until_confirm(self, code=A, role="مالک", phone=PHONE):
        r = self.pick_time_and_verify(self.until_appointment(code, role), phone)
        return self.step(r, "گام بعدی")

    def upload_documents(self, response, role="مالک", count=3, kinds=None):
        response = self.step(response, "+", expect=(200,))
        response = self.step(response, "+", expect=(200,))
        kinds = kinds or ["national_card", "ownership_deed", "notary_letter"]
        files = {}
        for i, kind in enumerate(kinds[:count]):
            files[f"kind_{i}"] = kind
            files[f"file_{i}"] = upload(f"doc{i}.jpg", jpeg_with_gps(size=(320 + i, 240)))
        values = {role: True, "شماره": "۱۲۳۴/۵۶", "نام نهاد استعلام کننده": "دفترخانه ۱۲",
                  "تاریخ نامه": "۱۴۰۵/۰۸/۲۰"}
        response = self.step(response, "تأیید و ارسال", values, files=files, expect=(200,))
        return response

    def pick_time_and_verify(self, response, phone=PHONE, tries=5):
        """The first free hour, the code sent and checked. Citizens running at once (the
        benchmark's workers) can lose that hour to each other between page and check: the
        page then says so, and the citizen takes the next free hour, as a person would."""
        for _ in range(tries):
            form = Page.of(response).form_with_button("دریافت کد تایید")
            slot = form.enabled_choices("starts_at")[0].attrs["value"]
            extra = {"starts_at": slot}
            response = self.step(response, "دریافت کد تایید",
                                 {"شماره تماس مالک جهت هماهنگی کارشناس": phone}, files=extra,
                                 expect=(200,))
            response = self.step(response, "بررسی کد",
                                 {"شماره تماس مالک جهت هماهنگی کارشناس": phone,
                                  "کد تاییدیه": latest_code(phone)},
                                 files=extra, expect=(200, 400))
            if response.status_code == 200 or not Page.of(response).has("دیگر آزاد نیست"):
                break
        assert Page.of(response).has("شماره تماس تایید شد"), Page.of(response).text[:800]
        return response


def register_transfer(username: str, code=A):
    """A transfer registered (تایید و ثبت pressed) over HTTP, for tests whose subject is
    what comes after; returns the case."""
    from cases.models import Case

    driver = CitizenDriver(logged_in(username))
    driver.step(driver.until_confirm(code), "تایید و ثبت")
    return Case.objects.filter(citizen__username=username).latest("pk")


TODAY_HOUR = 23  # late enough today to still be "today" and never overdue during a test


def register_a_case_for_today():
    """`citizen`'s transfer registered over HTTP, its visit moved to today with `inspector`
    (the demo calendar starts tomorrow); returns the case."""

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cases.models import Case, CaseStatus

    citizen = CitizenDriver(logged_in("citizen"))
    citizen.step(citizen.until_confirm(A), "تایید و ثبت")
    case = Case.objects.get(citizen__username="citizen", status=CaseStatus.REGISTERED)
    today = timezone.localtime().replace(hour=TODAY_HOUR, minute=0, second=0, microsecond=0)
    move_visit_by_hand(case, today, get_user_model().objects.get(username="inspector"))
    return case


def move_visit_by_hand(case, when, inspector=None) -> None:
    """The case's booked visit put at `when` (and with `inspector`) as the passing of days
    would, which appointments.reschedule refuses for the past: its slot, and the open
    visit task's `scheduled` that orders the inspector's list."""
    import datetime

    from cases.appointments.services import schedule_visit
    from cases.models import InspectionSlot

    moved = {"starts_at": when, "ends_at": when + datetime.timedelta(minutes=59)}
    if inspector is not None:
        moved["inspector"] = inspector
    InspectionSlot.objects.filter(pk=case.appointments.get().slot_id).update(**moved)
    schedule_visit(case, when)


def inspector_decides(case, result: str = "تأیید", reason: str = "") -> None:
    """The visit's own inspector records its result (تأیید or ابطال) as MANUAL.md's
    municipality side tells it, through the inspection form by its labels."""
    client = logged_in(case.appointments.get().slot.inspector.username)
    inbox = Page.of(client.get("/staff/visits/"))
    visit = client.get(inbox.link("ثبت نتیجه بازدید"))
    assert visit.status_code == 200, visit.status_code
    values = {result: True}
    if reason:
        values["دلیل ابطال"] = reason
    response = post_button(client, visit, "ثبت نتیجه بازدید", values)
    assert response.status_code == 302, Page.of(response).text[:600]
