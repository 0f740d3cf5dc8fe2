"""InquiryFlow: the offices / mortgage inquiry (استعلام ادارات/ ترهین).

Reads like MANUAL.md's second chapter: commitments → property → records review →
documents → fee settlement and ثبت درخواست و صدور → the answer issued (PDF) → end.
"""

from viewflow import this

from cases import step_requirements
from cases.certificates import issuing
from cases.models import ServiceKind
from workflows import gateways
from workflows.case_flow import CaseFlow
from workflows.handlers import archive_case
from workflows.nodes import CitizenStep, Start
from workflows.steps.commitments import CommitmentsView
from workflows.steps.documents import DocumentsView
from workflows.steps.inquiry_fees import InquiryFeesView
from workflows.steps.property import PropertySelectionView
from workflows.steps.records import RecordsReviewView
from workflows.wizard import case_citizen, in_wizard, went_forward

from .rules import is_citizen, registered


class InquiryFlow(CaseFlow):
    process_title = "استعلام ادارات/ ترهین"
    service = ServiceKind.INQUIRY

    start = in_wizard(
        Start(CommitmentsView.as_view(
            service=ServiceKind.INQUIRY,
            checkbox_label="تمامی موارد فوق مورد تأیید است",
            commitments_template="wizard/commitments_inquiry.html",
        ))
        .Annotation(title="تعهدات")
        .Available(is_citizen)
        .Next(this.property)
    )
    property = CitizenStep(PropertySelectionView.as_view(
        number_label="شماره درخواست",
        search_label="استعلام",
        valid_message="شماره درخواست معتبر می باشد",
    )).Annotation(title="انتخاب ملک").Assign(case_citizen).Requires(
        step_requirements.property_found).Next(this.records)
    records = (
        CitizenStep(RecordsReviewView.as_view())
        .Annotation(title="بررسی سوابق")
        .Assign(case_citizen)
        .Requires(step_requirements.earlier_certificate_found)
        .Next(this.after_records)
    )
    after_records = (
        gateways.If(went_forward).Annotation(title="گام بعدی یا قبلی پس از سوابق")
        .Then(this.documents).Else(this.property)
    )
    documents = CitizenStep(DocumentsView.as_view(
        with_role=False,
        incomplete_message="تصویر نامه استعلام لازم است",
        field_labels={
            "letter_number": "شماره نامه",
            "letter_institution": "نام نهاد یا اداره استعلام کننده",
        },
    )).Annotation(title="بارگذاری مدارک").Assign(case_citizen).Requires(
        step_requirements.letter_and_documents).Next(this.after_documents)
    after_documents = (
        gateways.If(went_forward).Annotation(title="گام بعدی یا قبلی پس از مدارک")
        .Then(this.fees).Else(this.records)
    )
    fees = (
        CitizenStep(InquiryFeesView.as_view())
        .Annotation(title="تسویه عوارض")
        .Assign(case_citizen)
        .Requires(step_requirements.fees_settled)
        .Next(this.after_fees)
    )
    after_fees = (
        gateways.If(registered).Annotation(title="ثبت شد یا بازگشت به مدارک")
        .Then(this.issue).Else(this.documents)
    )
    issue = in_wizard(
        gateways.Handle(this.issue_answer).Annotation(title="صدور و چاپ پاسخ استعلام")
        .Next(this.archive)
    )
    archive = gateways.Function(archive_case).Annotation(title="بایگانی").Next(this.archived)
    archived = gateways.End().Annotation(title="بایگانی دائم")

    def issue_answer(self, activation) -> None:
        issuing.issue_inquiry(activation.process.case)
