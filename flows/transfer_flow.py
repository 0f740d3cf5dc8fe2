"""TransferFlow: the apartment transfer certificate (گواهی انتقال آپارتمان).

Reads like MANUAL.md's chapter: commitments → apartment → documents → appointment →
confirm and register → the inspector's visit → come back to the site → fees →
issuance → archive (بایگانی دائم), or cancel (ابطال) when the visit fails.
"""

from viewflow import this

from cases import step_requirements
from cases.certificates import issuing
from cases.models import ServiceKind
from cases.notifications import notify
from workflows import gateways
from workflows.case_flow import CaseFlow
from workflows.handlers import archive_case
from workflows.nodes import CitizenStep, InspectionStep, Start
from workflows.steps.appointment import AppointmentView
from workflows.steps.commitments import CommitmentsView
from workflows.steps.confirm import ConfirmView
from workflows.steps.documents import DocumentsView
from workflows.steps.fees import FeesView
from workflows.steps.inspection import InspectionView
from workflows.steps.issuance import IssuanceView
from workflows.steps.property import PropertySelectionView
from workflows.wizard import case_citizen, in_wizard, went_forward

from .rules import (
    change_requested,
    inspection_approved,
    is_citizen,
    registered,
    visit_district,
    visit_hour,
    visit_inspector,
)


class TransferFlow(CaseFlow):
    process_title = "گواهی انتقال آپارتمان"
    service = ServiceKind.TRANSFER

    start = in_wizard(
        Start(CommitmentsView.as_view(
            service=ServiceKind.TRANSFER, commitments_template="wizard/commitments_transfer.html"
        ))
        .Annotation(title="تعهدات")
        .Available(is_citizen)
        .Next(this.apartment)
    )
    apartment = (
        CitizenStep(PropertySelectionView.as_view())
        .Annotation(title="انتخاب آپارتمان")
        .Assign(case_citizen)
        .Requires(step_requirements.property_found)
        .Next(this.documents)
    )
    documents = (
        CitizenStep(DocumentsView.as_view())
        .Annotation(title="بارگذاری مدارک")
        .Assign(case_citizen)
        .Requires(step_requirements.letter_and_documents)
        .Next(this.after_documents)
    )
    after_documents = (
        gateways.If(went_forward).Annotation(title="گام بعدی یا قبلی پس از مدارک")
        .Then(this.appointment).Else(this.apartment)
    )
    appointment = (
        CitizenStep(AppointmentView.as_view())
        .Annotation(title="انتخاب کارشناس بازدید")
        .Assign(case_citizen)
        .Requires(step_requirements.phone_verified_and_slot_held)
        .Next(this.after_appointment)
    )
    after_appointment = (
        gateways.If(went_forward).Annotation(title="گام بعدی یا قبلی پس از وقت بازدید")
        .Then(this.confirm).Else(this.documents)
    )
    confirm = (
        CitizenStep(ConfirmView.as_view())
        .Annotation(title="تایید و ثبت")
        .Assign(case_citizen)
        .Next(this.after_confirm)
    )
    after_confirm = (
        gateways.Switch()
        .Annotation(title="ثبت شد یا تغییر پاسخ‌ها")
        .Case(this.inspection, registered)
        .Case(this.apartment, change_requested("apartment"))
        .Case(this.documents, change_requested("documents"))
        .Default(this.appointment)
    )
    inspection = (
        InspectionStep(InspectionView.as_view())
        .Annotation(title="بازدید کارشناس")
        .Assign(visit_inspector)
        .Schedule(visit_hour)
        .Permission("cases.inspect_case", obj=visit_district)
        .Next(this.after_inspection)
    )
    after_inspection = (
        gateways.If(inspection_approved).Annotation(title="نتیجه بازدید")
        .Then(this.come_back).Else(this.notify_cancelled)
    )
    come_back = (
        gateways.Function(this.send_come_back).Annotation(title="اعلام مراجعه").Next(this.fees)
    )
    fees = (
        CitizenStep(FeesView.as_view())
        .Annotation(title="عوارض نوسازی")
        .Assign(case_citizen)
        .Requires(step_requirements.fees_settled)
        .Next(this.issuance)
    )
    issuance = (
        CitizenStep(IssuanceView.as_view())
        .Annotation(title="صدور گواهی")
        .Assign(case_citizen)
        .Requires(step_requirements.ready_to_issue)
        .Next(this.issue)
    )
    issue = gateways.Handle(this.issue_certificate).Annotation(title="صدور").Next(this.archive)
    archive = gateways.Function(archive_case).Annotation(title="بایگانی").Next(this.archived)
    archived = gateways.End().Annotation(title="بایگانی دائم")
    notify_cancelled = (
        gateways.Function(this.send_cancelled).Annotation(title="اعلام ابطال").Next(this.cancelled)
    )
    cancelled = gateways.End().Annotation(title="ابطال")

    def send_come_back(self, activation) -> None:
        notify(activation.process.case, "inspection_approved")

    def send_cancelled(self, activation) -> None:
        case = activation.process.case
        notify(case, "inspection_cancelled", reason=case.cancel_reason)

    def issue_certificate(self, activation) -> None:
        issuing.issue_transfer(activation.process.case)
