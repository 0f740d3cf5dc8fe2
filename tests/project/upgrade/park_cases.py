"""Inside the tree of commit 88d8141 (make_fixture.py runs it there with `manage.py shell`):
one case waiting at each step of both flows, and the manifest that lists them.

Each case is driven over HTTP with that commit's own test drivers (tests/transfer_driver.py,
InquiryDriver in tests/test_inquiry_flow.py): the imports below are the old tree's.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from unittest import mock

from django.contrib.auth import get_user_model
from django.test import Client
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import Case, Property, RegistryRecord, RenovationDebt
from tests.pages import Page
from tests.test_inquiry_flow import InquiryDriver
from tests.transfer_driver import CitizenDriver, follow, post_button
from workflows.wizard import task_url

COMMIT = "88d8141"
A = ("12-345-67-8-0-0-12", "1403-12-000123")  # the demo's: a certificate, no debt
B = ("3-114-25-1-0-0-5", "1404-03-004567")  # the demo's: a certificate and a debt
# Made here: a second property with a certificate and a debt, so two payments left at the
# bank are each the newest attempt of their own debt.
D = ("12-410-3-5-0-0-9", "1404-05-003210")


def manifest(parked: list[dict]) -> str:
    """One case a line, so a rebuilt fixture's manifest reads as a diff."""
    cases = ",\n".join(f"  {json.dumps(case, ensure_ascii=False)}" for case in parked)
    return f'{{"commit": "{COMMIT}", "cases": [\n{cases}\n]}}\n'


def park() -> None:
    prop = Property.objects.create(
        renovation_code=D[0], district_id=12, address="خیابان ولیعصر، کوچه نسترن، پلاک ۹",
        registry_plate="۹۸۱/۴", area_m2="71.00", floor="۲", unit="۴", owner_names="مریم احمدی")
    RegistryRecord.objects.create(
        property=prop, request_number=D[1], subject="گواهی پایان کار", answered_on="2025-08-02",
        certificate_number="12-1404-5521", certificate_issued_on="2025-08-10")
    RenovationDebt.objects.create(property=prop, title="عوارض نوسازی", amount_rials=2_000_000)

    users = get_user_model().objects
    parked: list[dict] = []

    def citizen(username: str, driver_class=CitizenDriver):
        client = Client(REMOTE_ADDR=f"127.0.0.{10 + len(parked)}")
        client.force_login(users.get(username=username))
        return driver_class(client)

    def phone() -> str:
        return f"0912111{2200 + len(parked)}"

    def keep(flow: str, node: str, username: str, code, waiting: str, ends: str, **extra):
        case = Case.objects.filter(citizen__username=username).latest("pk")
        open_tasks = Task.objects.filter(process=case.process,
                                         status__in=[STATUS.NEW, STATUS.ASSIGNED])
        assert [t.flow_task.name for t in open_tasks] == [node], (node, list(open_tasks))
        parked.append({"case": case.pk, "flow": flow, "node": node, "citizen": username,
                       "code": list(code), "phone": extra.pop("phone", phone()),
                       "waiting": waiting, "ends": ends, **extra})

    def registered(driver, code, number):
        response = driver.until_confirm(code, phone=number)
        driver.step(response, "تایید و ثبت")

    def inspector_decides(username: str) -> None:
        case = Case.objects.filter(citizen__username=username).latest("pk")
        task = Task.objects.get(process=case.process, status=STATUS.ASSIGNED)
        client = Client()
        client.force_login(task.owner)
        visit = client.get(task_url(task))
        response = post_button(client, visit, "ثبت نتیجه بازدید", {"تأیید": True})
        assert response.status_code == 302, Page.of(response).text[:600]

    def at_fees(username: str, code):
        driver, number = citizen(username), phone()
        registered(driver, code, number)
        inspector_decides(username)
        case = Case.objects.filter(citizen__username=username).latest("pk")
        task = Task.objects.get(process=case.process, status=STATUS.ASSIGNED)
        return driver, driver.client.get(task_url(task)), number

    # The transfer (انتقال آپارتمان): each citizen step, the visit, the fees, issuing.
    driver = citizen("citizen")
    driver.step(driver.open_services(), "گام بعدی", {"تأیید": True})
    keep("transfer", "apartment", "citizen", A, "the apartment not yet searched", "archived")
    citizen("citizen").until_documents(A)
    keep("transfer", "documents", "citizen", A, "no documents uploaded", "archived")
    citizen("citizen").until_appointment(A)
    keep("transfer", "appointment", "citizen", A, "no hour, phone unverified", "archived")
    driver, number = citizen("citizen"), phone()
    response = driver.until_appointment(A)
    slot = Page.of(response).form_with_button("دریافت کد تایید").enabled_choices("starts_at")[0]
    driver.step(response, "دریافت کد تایید", {"شماره تماس مالک جهت هماهنگی کارشناس": number},
                files={"starts_at": slot.attrs["value"]}, expect=(200,))
    keep("transfer", "appointment", "citizen", A, "SMS code sent, not yet typed", "archived",
         phone=number)
    driver, number = citizen("citizen"), phone()
    driver.until_confirm(A, phone=number)
    keep("transfer", "confirm", "citizen", A, "hour held, not yet registered", "archived",
         phone=number)
    for ends in ("archived", "cancelled"):
        driver, number = citizen("citizen"), phone()
        registered(driver, A, number)
        keep("transfer", "inspection", "citizen", A, "visit booked, no result yet", ends,
             phone=number)
    driver, response, number = at_fees("citizen2", B)
    bank = follow(driver.client, post_button(driver.client, response, "پرداخت آنلاین"))
    assert Page.of(bank).form_with_button("پرداخت"), Page.of(bank).text[:400]
    keep("transfer", "fees", "citizen2", B, "payment at the bank, not paid", "archived",
         phone=number, payment="abandoned")
    driver, response, number = at_fees("citizen2", B)
    keep("transfer", "fees", "citizen2", B, "fees owed, no payment", "archived", phone=number)
    driver, response, number = at_fees("citizen", A)
    driver.step(response, "گام بعدی")
    keep("transfer", "issuance", "citizen", A, "fees settled, not yet asked", "archived",
         phone=number)
    driver, response, number = at_fees("citizen", A)
    response = driver.step(response, "گام بعدی")
    with mock.patch("workflows.automation.run_handle"):  # the worker never picked it up
        driver.step(response, "صدور گواهی با امکان چاپ")
    keep("transfer", "issue", "citizen", A, "certificate asked, automatic step waiting",
         "archived", phone=number)

    # The offices / mortgage inquiry (استعلام ادارات/ ترهین).
    inquiry = citizen("citizen", InquiryDriver)
    inquiry.step(inquiry.open_inquiry(), "گام بعدی", {"تمامی موارد فوق مورد تأیید است": True})
    keep("inquiry", "property", "citizen", A, "the property not yet searched", "archived")
    citizen("citizen", InquiryDriver).until_records(A)
    keep("inquiry", "records", "citizen", A, "records shown", "archived")
    inquiry = citizen("citizen", InquiryDriver)
    inquiry.step(inquiry.until_records(A), "گام بعدی")
    keep("inquiry", "documents", "citizen", A, "no letter uploaded", "archived")
    citizen("citizen", InquiryDriver).until_fees(A)
    keep("inquiry", "fees", "citizen", A, "no debt, not yet registered", "archived")
    inquiry = citizen("citizen", InquiryDriver)
    fees = inquiry.until_fees(D)
    bank = follow(inquiry.client, post_button(inquiry.client, fees, "پرداخت آنلاین"))
    paid = post_button(inquiry.client, bank, "پرداخت")  # the browser never came back
    assert paid.status_code == 302 and "/payments/" in paid["Location"], paid.status_code
    keep("inquiry", "fees", "citizen", D, "paid at the bank, never came back", "archived",
         payment="paid at the bank")
    inquiry = citizen("citizen", InquiryDriver)
    fees = inquiry.until_fees(A)
    with mock.patch("workflows.automation.run_handle"):
        inquiry.step(fees, "ثبت درخواست و صدور")
    keep("inquiry", "issue", "citizen", A, "registered, automatic answer waiting", "archived")

    Path(os.environ["UPGRADE_MANIFEST"]).write_text(manifest(parked))


if __name__ == "__park__":
    park()
