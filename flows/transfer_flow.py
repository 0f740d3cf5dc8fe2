"""TransferFlow: the apartment transfer certificate (گواهی انتقال آپارتمان).

Reads like MANUAL.md's chapter: commitments → apartment → documents → appointment →
confirm and register → the inspector's visit → come back to the site → fees →
issuance → archive (بایگانی دائم), or cancel (ابطال) when the visit fails.
"""

from viewflow import this
from viewflow.workflow import flow, lock

from cases import step_requirements
from cases.appointments import services as appointments
from cases.certificates.services import issue_transfer_certificate
from cases.models import ServiceKind
from cases.notifications import notify
from workflows.handlers import archive_case
from workflows.models import CaseProcess, CaseTask
from workflows.nodes import CitizenStep, InspectionStep
from workflows.steps.appointment import AppointmentView
from workflows.steps.commitments import CommitmentsView
from workflows.steps.confirm import ConfirmView, chosen_step
from workflows.steps.documents import DocumentsView
from workflows.steps.fees import FeesView
from workflows.steps.inspection import InspectionView
from workflows.steps.issuance import IssuanceView
from workflows.steps.property import PropertySelectionView
from workflows.wizard import WizardStep, case_citizen, went_forward


def is_citizen(user) -> bool:
    return user.is_authenticated and user.is_citizen


def visit_inspector(activation):
    appointment = appointments.current(activation.process.case)
    return appointment.slot.inspector if appointment else None


def registered(activation) -> bool:
    return activation.process.case.tracking_number is not None


def change_requested(step: str):
    return lambda activation: chosen_step(activation) == step


def inspection_approved(activation) -> bool:
    return activation.process.case.inspection.approved


class TransferFlow(flow.Flow):
    process_class = CaseProcess
    task_class = CaseTask
    lock_impl = lock.select_for_update_lock
    process_title = "گواهی انتقال آپارتمان"
    service = ServiceKind.TRANSFER

    wizard_steps = [
        WizardStep("start", "تعهدات"),
        WizardStep("apartment", "انتخاب آپارتمان"),
        WizardStep("documents", "بارگذاری مدارک"),
        WizardStep("appointment", "انتخاب کارشناس بازدید"),
        WizardStep("confirm", "تایید و ثبت"),
        WizardStep("fees", "عوارض نوسازی"),
        WizardStep("issuance", "صدور گواهی"),
    ]

    start = (
        flow.Start(CommitmentsView.as_view(
            service=ServiceKind.TRANSFER, commitments_template="wizard/commitments_transfer.html"
        ))
        .Available(is_citizen)
        .Next(this.apartment)
    )
    apartment = (
        CitizenStep(PropertySelectionView.as_view())
        .Assign(case_citizen)
        .Requires(step_requirements.property_found)
        .Next(this.documents)
    )
    documents = (
        CitizenStep(DocumentsView.as_view())
        .Assign(case_citizen)
        .Requires(step_requirements.letter_and_documents)
        .Next(this.after_documents)
    )
    after_documents = flow.If(went_forward).Then(this.appointment).Else(this.apartment)
    appointment = (
        CitizenStep(AppointmentView.as_view())
        .Assign(case_citizen)
        .Requires(step_requirements.phone_verified_and_slot_held)
        .Next(this.after_appointment)
    )
    after_appointment = flow.If(went_forward).Then(this.confirm).Else(this.documents)
    confirm = CitizenStep(ConfirmView.as_view()).Assign(case_citizen).Next(this.after_confirm)
    after_confirm = (
        flow.Switch()
        .Case(this.inspection, registered)
        .Case(this.apartment, change_requested("apartment"))
        .Case(this.documents, change_requested("documents"))
        .Default(this.appointment)
    )
    inspection = (
        InspectionStep(InspectionView.as_view())
        .Assign(visit_inspector)
        .Permission("cases.inspect_case")
        .Next(this.after_inspection)
    )
    after_inspection = flow.If(inspection_approved).Then(this.come_back).Else(this.notify_cancelled)
    come_back = flow.Function(this.send_come_back).Next(this.fees)
    fees = (
        CitizenStep(FeesView.as_view())
        .Assign(case_citizen)
        .Requires(step_requirements.fees_settled)
        .Next(this.issuance)
    )
    issuance = (
        CitizenStep(IssuanceView.as_view())
        .Assign(case_citizen)
        .Requires(step_requirements.ready_to_issue)
        .Next(this.issue)
    )
    issue = flow.Handle(this.issue_certificate).Next(this.archive)
    archive = flow.Function(archive_case).Next(this.archived)
    archived = flow.End()
    notify_cancelled = flow.Function(this.send_cancelled).Next(this.cancelled)
    cancelled = flow.End()

    def send_come_back(self, activation) -> None:
        notify(activation.process.case, "inspection_approved")

    def send_cancelled(self, activation) -> None:
        case = activation.process.case
        notify(case, "inspection_cancelled", reason=case.cancel_reason)

    def issue_certificate(self, activation) -> None:
        case = activation.process.case
        report = case.inspection
        payment = case.payments.filter(status="settled").order_by("-pk").first()
        issue_transfer_certificate(
            case,
            inspection={"visited_at": report.visited_at, "result": "approved",
                        "inspector": report.inspector.get_full_name()},
            fees={"amount_rials": payment.amount_rials if payment else 0,
                  "reference": payment.reference if payment else ""},
        )
        case.issue()
        case.save()
        notify(case, "certificate_issued")
