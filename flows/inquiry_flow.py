"""InquiryFlow: the offices / mortgage inquiry (استعلام ادارات/ ترهین).

Reads like MANUAL.md's second chapter: commitments → property → records review →
documents → fee settlement and ثبت درخواست و صدور → the answer issued (PDF) → end.
"""

from viewflow import this
from viewflow.workflow import flow, lock

from cases import step_requirements
from cases.certificates import services as certificates
from cases.models import ServiceKind
from cases.notifications import notify
from workflows.handlers import archive_case
from workflows.models import CaseProcess, CaseTask
from workflows.nodes import CitizenStep
from workflows.steps.commitments import CommitmentsView
from workflows.steps.documents import DocumentsView
from workflows.steps.inquiry_fees import InquiryFeesView
from workflows.steps.property import PropertySelectionView
from workflows.steps.records import RecordsReviewView
from workflows.wizard import WizardStep, case_citizen, went_forward

from .transfer_flow import is_citizen, registered


class InquiryFlow(flow.Flow):
    process_class = CaseProcess
    task_class = CaseTask
    lock_impl = lock.select_for_update_lock
    process_title = "استعلام ادارات/ ترهین"
    service = ServiceKind.INQUIRY

    wizard_steps = [
        WizardStep("start", "تعهدات"),
        WizardStep("property", "انتخاب ملک"),
        WizardStep("records", "بررسی سوابق"),
        WizardStep("documents", "بارگذاری مدارک"),
        WizardStep("fees", "تسویه عوارض"),
        WizardStep("answer", "صدور و چاپ پاسخ استعلام"),
    ]

    start = (
        flow.Start(CommitmentsView.as_view(
            service=ServiceKind.INQUIRY,
            checkbox_label="تمامی موارد فوق مورد تأیید است",
            commitments_template="wizard/commitments_inquiry.html",
        ))
        .Available(is_citizen)
        .Next(this.property)
    )
    property = CitizenStep(PropertySelectionView.as_view(
        number_label="شماره درخواست",
        search_label="استعلام",
        valid_message="شماره درخواست معتبر می باشد",
    )).Assign(case_citizen).Requires(step_requirements.property_found).Next(this.records)
    records = (
        CitizenStep(RecordsReviewView.as_view())
        .Assign(case_citizen)
        .Requires(step_requirements.earlier_certificate_found)
        .Next(this.after_records)
    )
    after_records = flow.If(went_forward).Then(this.documents).Else(this.property)
    documents = CitizenStep(DocumentsView.as_view(
        with_role=False,
        incomplete_message="تصویر نامه استعلام لازم است",
        field_labels={
            "letter_number": "شماره نامه",
            "letter_institution": "نام نهاد یا اداره استعلام کننده",
        },
    )).Assign(case_citizen).Requires(step_requirements.letter_and_documents).Next(this.after_documents)
    after_documents = flow.If(went_forward).Then(this.fees).Else(this.records)
    fees = (
        CitizenStep(InquiryFeesView.as_view())
        .Assign(case_citizen)
        .Requires(step_requirements.fees_settled)
        .Next(this.after_fees)
    )
    after_fees = flow.If(registered).Then(this.issue).Else(this.documents)
    issue = flow.Handle(this.issue_answer).Next(this.archive)
    archive = flow.Function(archive_case).Next(this.archived)
    archived = flow.End()

    def issue_answer(self, activation) -> None:
        case = activation.process.case
        certificates.issue_inquiry_answer(case)
        case.issue()
        case.save()
        notify(case, "inquiry_issued")
