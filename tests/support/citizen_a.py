"""Citizen A («citizen») with a case in every state, built through the site as she would
build them: one archived with a certificate after paying property B's debt, one cancelled
at the visit, one registered and waiting for `inspector`, one draft with her apartment
step open, an inquiry answered and one stopped at the records review.

The victim of the access and attack tests (tests/security/): whoever is not A must get
nothing of hers, and `snapshot` tells whether anything of hers changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.appointments.models import Appointment
from cases.certificates.models import Certificate
from cases.documents.models import CaseDocument
from cases.models import Case, CaseEvent, CaseStatus, InspectionReport, RenovationDebt
from cases.payments.models import Payment
from flows.transfer_flow import TransferFlow
from integrations.pdf.base import PdfRenderer
from tests.support.certificates import blank_pdf
from tests.support.clients import logged_in, user
from tests.support.inquiry_driver import C as PROPERTY_C
from tests.support.inquiry_driver import InquiryDriver
from tests.support.pages import Page
from tests.support.transfer_driver import A as PROPERTY_A
from tests.support.transfer_driver import B as PROPERTY_B
from tests.support.transfer_driver import CitizenDriver, follow, post_button
from workflows.models import CaseProcess
from workflows.wizard import open_task_of

def latest_case(username: str) -> Case:
    return Case.objects.filter(citizen__username=username).latest("pk")


def register(citizen: CitizenDriver, code, phone: str) -> Case:
    citizen.step(citizen.until_confirm(code, phone=phone), "تایید و ثبت")
    case = latest_case("citizen")
    assert case.status == CaseStatus.REGISTERED and case.tracking_number
    return case


def inspection_task(case: Case) -> Task:
    return Task.objects.get(process__caseprocess__case=case, flow_task=TransferFlow.inspection)


def inspect(case: Case, result: str, reason: str = "") -> None:
    """The booked slot's inspector records the visit's result on their task."""
    task = inspection_task(case)
    client = Client()
    client.force_login(task.owner)
    visit = client.get(task.reverse("execute"))
    assert visit.status_code == 200
    values = {result: True} | ({"دلیل ابطال": reason} if reason else {})
    assert post_button(client, visit, "ثبت نتیجه بازدید", values).status_code == 302


def archive_after_paying_the_debt(citizen: CitizenDriver) -> Case:
    """Property B: visited by `inspector`, its debt paid at the sandbox bank, issued."""
    case = register(citizen, PROPERTY_B, phone="09121110001")
    inspect(case, "تأیید")
    status = citizen.client.get(reverse("portal:case_status", args=[case.pk]))
    fees = citizen.client.get(Page.of(status).link("گام بعدی"))
    bank = follow(citizen.client, post_button(citizen.client, fees, "پرداخت آنلاین"))
    back = follow(citizen.client, post_button(citizen.client, bank, "پرداخت"))
    citizen.step(citizen.step(back, "گام بعدی"), "صدور گواهی با امکان چاپ")
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED and Certificate.objects.filter(case=case).exists()
    return case


class StandInRenderer(PdfRenderer):
    """WeasyPrint's place: these tests are about who may fetch a certificate, not its looks."""

    def render(self, html: str, base_url: str) -> bytes:
        return blank_pdf(html)  # a real PDF: it is signed like a drawn one


@dataclass
class CitizenA:
    archived: Case  # property B: certificate, settled payment (receipt, bank token)
    cancelled: Case  # property A: ended in ابطال at the visit
    registered: Case  # property B, district 3: inspection task owned by `inspector`
    draft: Case  # the apartment step open, owned by A
    inquiry: Case  # an inquiry answered and archived (property A): its PDF and image
    inquiry_draft: Case  # an inquiry stopped at the records review (property C)

    @property
    def user(self):
        return user("citizen")

    @property
    def cases(self) -> list[Case]:
        return [self.archived, self.cancelled, self.registered, self.draft, self.inquiry,
                self.inquiry_draft]

    def tasks(self, node: str | None = None) -> list[Task]:
        tasks = Task.objects.filter(process__caseprocess__case__in=self.cases).order_by("pk")
        return [t for t in tasks if node is None or t.flow_task.name == node]

    def open_step(self) -> Task:
        [task] = [t for t in self.tasks("apartment") if t.status == STATUS.ASSIGNED]
        return task

    @property
    def payments(self) -> list[Payment]:
        return list(Payment.objects.filter(case__in=self.cases).order_by("pk"))

    @property
    def documents(self) -> list[CaseDocument]:
        return list(CaseDocument.objects.filter(case__in=self.cases).order_by("pk"))


def build_citizen_a() -> CitizenA:
    a = CitizenDriver(logged_in("citizen"))
    archived = archive_after_paying_the_debt(a)
    cancelled = register(a, PROPERTY_A, phone="09121110002")
    inspect(cancelled, "ابطال", reason="نقشه با وضع موجود مطابقت ندارد")
    registered = register(a, PROPERTY_B, phone="09121110003")
    inquirer = InquiryDriver(a.client)
    inquirer.step(inquirer.until_fees(PROPERTY_A), "ثبت درخواست و صدور")
    inquiry = latest_case("citizen")
    assert inquiry.status == CaseStatus.ARCHIVED
    inquirer.until_records(PROPERTY_C)
    inquiry_draft = latest_case("citizen")
    a.step(a.open_services(), "گام بعدی", {"تأیید": True})
    draft = latest_case("citizen")
    assert draft.status == CaseStatus.DRAFT and open_task_of(draft, user("citizen"))
    return CitizenA(archived, cancelled, registered, draft, inquiry, inquiry_draft)


def snapshot(a: CitizenA) -> dict:
    """What an outsider must not change: A's cases and everything hanging on them."""
    cases = Case.objects.filter(pk__in=[c.pk for c in a.cases]).order_by("pk")

    def rows(model, *fields):
        return list(model.objects.order_by("pk").values_list("pk", *fields))

    return {
        "cases": list(cases.values_list(
            "pk", "status", "tracking_number", "citizen_id", "property_id")),
        "others' cases": Case.objects.exclude(citizen__username="citizen").count(),
        "processes": rows(CaseProcess, "case_id", "status", "finished"),
        "tasks": rows(Task, "status", "owner_id", "finished"),
        "documents": rows(CaseDocument, "case_id", "kind", "sha256"),
        "payments": rows(Payment, "case_id", "payer_id", "status", "reference"),
        "appointments": rows(Appointment, "case_id", "slot_id", "status"),
        "reports": rows(InspectionReport, "case_id", "approved"),
        "certificates": rows(Certificate, "case_id", "sha256"),
        "debts": rows(RenovationDebt, "status"),
        "events": CaseEvent.objects.count(),  # viewing a document is an event too
    }
