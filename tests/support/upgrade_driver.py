"""Finish, with today's code, one case an older release left open at one of its steps.

tests/project/upgrade/finish_parked_cases.py runs it inside the upgraded installation: it
opens the case's current step as that step's owner and drives it on by the pages' labels,
as MANUAL.md tells a citizen and an inspector, until the flow ends.
"""

from __future__ import annotations

from celery import current_app
from django.core.exceptions import ObjectDoesNotExist
from django.test import Client
from django.urls import reverse
from viewflow.workflow import flow
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from tests.support.files import jpeg_with_gps, upload
from tests.support.pages import Page
from tests.support.transfer_driver import CitizenDriver, follow, latest_code, post_button

OPEN = [STATUS.NEW, STATUS.ASSIGNED]
LETTER = {"شماره نامه": "۸۸۱۲/ب", "نام نهاد یا اداره استعلام کننده": "بانک ملت شعبه ونک",
          "تاریخ نامه": "۱۴۰۵/۰۹/۰۱"}
CANCEL_REASON = "مالک در محل حاضر نبود"


class CaseDriver:
    """One parked case, its citizen's browser and its steps' owners' browsers."""

    def __init__(self, entry: dict, address: str):
        self.entry = entry
        self.process = Process.objects.get(caseprocess__case_id=entry["case"])
        self.case = self.process.caseprocess.case
        self.address = address
        self.clients: dict[int, Client] = {}

    def client_of(self, user) -> Client:
        if user.pk not in self.clients:
            self.clients[user.pk] = Client(REMOTE_ADDR=self.address)
            self.clients[user.pk].force_login(user)
        return self.clients[user.pk]

    def open_task(self) -> Task | None:
        return Task.objects.filter(process=self.process, status__in=OPEN).order_by("pk").last()

    def look(self) -> dict:
        """Where the case waits, and whether its pages answer its citizen and the step's
        owner, before anything moves it."""
        parked = self.open_task()
        self.earlier_payments = set(self.case.payments.values_list("pk", flat=True))
        found = {"parked": parked.flow_task.name, "flow_class": self.process.flow_class.__name__}
        # The staff's lists select by flow and node: the stored references must equal the
        # ones today's code writes, not merely import (a module kept at the old path would).
        found["listed"] = (
            Process.objects.filter(pk=self.process.pk, flow_class=self.process.flow_class).exists()
            and Task.objects.filter(pk=parked.pk, flow_task=parked.flow_task).exists())
        citizen = self.client_of(self.case.citizen)
        page = reverse("portal:case_status", args=[self.case.pk])
        found["case_page"] = citizen.get(page).status_code
        if isinstance(parked.flow_task, flow.View):
            owner = self.client_of(parked.owner)
            found["task_page"] = owner.get(parked.reverse("execute")).status_code
        return found

    def finish(self, since: int) -> dict:
        """Drive the case to its end; what it passed (tasks after `since`) and how it ended."""
        for _ in range(20):
            task = self.open_task()
            if task is None:
                break
            self.do(task)
            if Task.objects.filter(pk=task.pk, status__in=OPEN).exists():
                raise AssertionError(f"{task.flow_task.name} is still open after its step")
        self.process.refresh_from_db()
        self.case.refresh_from_db()
        after = Task.objects.filter(process=self.process, pk__gt=since).order_by("pk")
        printed = self.client_of(self.case.citizen).get(
            reverse("certificates:case_pdf", args=[self.case.pk]), follow=True)
        return {"passed": [t.flow_task.name for t in after],
                "process_status": self.process.status, "case_status": self.case.status,
                "certificate": hasattr(self.case, "certificate"),
                "pdf": printed.status_code == 200 and printed.content.startswith(b"%PDF"),
                "payments": [{"before_upgrade": p.pk in self.earlier_payments, "status": p.status}
                             for p in self.case.payments.order_by("pk")]}

    # -- the steps ------------------------------------------------------------------

    def do(self, task: Task) -> None:
        name = task.flow_task.name
        if isinstance(task.flow_task, flow.Handle):  # run as the automatic steps' worker does
            current_app.tasks["workflows.sweep_automatic_steps"](older_than_seconds=0)
            return
        client = self.client_of(task.owner)
        driver = CitizenDriver(client)
        response = client.get(task.reverse("execute"))
        assert response.status_code == 200, (name, response.status_code)
        step = getattr(self, f"{self.case.service}_{name}", None) or getattr(self, name)
        step(driver, response)

    @staticmethod
    def can_go_on(response, button: str = "گام بعدی") -> bool:
        return "disabled" not in Page.of(response).form_with_button(button).button(button).attrs

    def transfer_apartment(self, driver: CitizenDriver, response,
                           search=("جستجو", "شماره درخواست یا گواهی")) -> None:
        if not self.can_go_on(response):
            button, number = search
            code, request_number = self.entry["code"]
            response = driver.step(response, button, {"کدنوسازی": code, number: request_number},
                                   expect=(200,))
        driver.step(response, "گام بعدی")

    def inquiry_property(self, driver: CitizenDriver, response) -> None:
        self.transfer_apartment(driver, response, search=("استعلام", "شماره درخواست"))

    def records(self, driver: CitizenDriver, response) -> None:
        driver.step(response, "گام بعدی")

    def transfer_documents(self, driver: CitizenDriver, response) -> None:
        if not self.can_go_on(response):
            response = driver.upload_documents(response, "مالک")
        driver.step(response, "گام بعدی")

    def inquiry_documents(self, driver: CitizenDriver, response) -> None:
        if not self.can_go_on(response):
            response = driver.step(response, "تایید و ارسال", LETTER, files={
                "kind_0": "inquiry_letter", "file_0": upload("letter.jpg", jpeg_with_gps())},
                expect=(200,))
        driver.step(response, "گام بعدی")

    def appointment(self, driver: CitizenDriver, response) -> None:
        form = Page.of(response).form_with_button("گام بعدی")
        held = [c for c in form.enabled_choices("starts_at") if "checked" in c.attrs]
        if not (held and self.can_go_on(response)):  # no hour held, or the held one is past
            response = self.verify_phone(driver, response)
        driver.step(response, "گام بعدی")

    def verify_phone(self, driver: CitizenDriver, response):
        """Type the code texted before the upgrade while it is valid, else ask a new one."""
        phone = self.entry["phone"]
        try:
            code = latest_code(phone)
        except ObjectDoesNotExist:  # none was sent
            return driver.pick_time_and_verify(response, phone)
        hour = Page.of(response).form_with_button("بررسی کد").enabled_choices("starts_at")[0]
        response = driver.step(response, "بررسی کد", {
            "شماره تماس مالک جهت هماهنگی کارشناس": phone, "کد تاییدیه": code},
            files={"starts_at": hour.attrs["value"]}, expect=(200, 400))
        if Page.of(response).has("شماره تماس تایید شد"):
            return response
        return driver.pick_time_and_verify(response, phone)

    def confirm(self, driver: CitizenDriver, response) -> None:
        if self.can_go_on(response, "تایید و ثبت"):
            answer = post_button(driver.client, response, "تایید و ثبت")
            if answer.status_code == 302:
                return
            # The hour held before the upgrade has passed: the page says so.
            assert answer.status_code == 400, (answer.status_code, Page.of(answer).text[:600])
            response = answer
        driver.step(response, "تغییر تاریخ و ساعت بازدید")  # back to the hour, as it asks

    def inspection(self, driver: CitizenDriver, response) -> None:
        values = ({"تأیید": True} if self.entry["ends"] == "archived"
                  else {"ابطال": True, "دلیل ابطال": CANCEL_REASON})
        answer = post_button(driver.client, response, "ثبت نتیجه بازدید", values)
        assert answer.status_code == 302, Page.of(answer).text[:600]

    def pay_if_owed(self, driver: CitizenDriver, response):
        try:
            Page.of(response).form_with_button("پرداخت آنلاین")
        except AssertionError:
            return response
        landed = follow(driver.client, post_button(driver.client, response, "پرداخت آنلاین"))
        try:  # at the bank; else told on the step's page (e.g. an earlier payment settled)
            Page.of(landed).form_with_button("پرداخت")
        except AssertionError:
            return landed
        return follow(driver.client, post_button(driver.client, landed, "پرداخت"))

    def transfer_fees(self, driver: CitizenDriver, response) -> None:
        driver.step(self.pay_if_owed(driver, response), "گام بعدی")

    def inquiry_fees(self, driver: CitizenDriver, response) -> None:
        driver.step(self.pay_if_owed(driver, response), "ثبت درخواست و صدور")

    def issuance(self, driver: CitizenDriver, response) -> None:
        driver.step(response, "صدور گواهی با امکان چاپ")
