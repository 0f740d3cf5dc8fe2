"""A step's requirements hold whatever completes its task: the page, another view, the shell.

The flows attach cases/step_requirements.py's checks to their nodes, and the engine checks
them as the task completes (workflows/nodes.py), so these tests complete tasks the way
no page does — straight through the activation — and through a page whose own checks
were lost, and expect the flow to refuse and keep nothing.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from viewflow.workflow.status import STATUS

from cases.models import Case, CaseStatus
from cases.step_requirements import StepIncomplete
from flows.inquiry_flow import InquiryFlow
from flows.transfer_flow import TransferFlow
from tests.support.files import jpeg_with_gps, upload
from tests.support.inquiry_driver import LETTER, InquiryDriver
from tests.support.pages import Page
from tests.support.transfer_driver import (
    B, CitizenDriver, inspector_decides, logged_in, register_transfer,
)
from workflows.nodes import PersonalStep
from workflows.steps.fees import FeesView
from workflows.steps.inquiry_fees import InquiryFeesView
from workflows.wizard import BACK, FORWARD, open_task_of

pytestmark = pytest.mark.django_db(transaction=True)


def complete_directly(case: Case, direction: str = FORWARD):
    """Complete the citizen's open task as code would, with no page in between."""
    task = open_task_of(case, case.citizen)
    flow_class = task.flow_task.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        # The citizen's choice, where a step page keeps it (workflows/wizard.py).
        task.data = {**(task.data or {}), "nav": direction}
        activation = task.flow_task.activation_class(task)
        activation.start(None)
        activation.execute()
    return task


def open_step(case: Case) -> str:
    return open_task_of(case, case.citizen).flow_task.name


def test_documents_cannot_be_left_forward_without_the_letter_and_three_images(demo):
    CitizenDriver(logged_in("citizen")).until_documents()
    case = Case.objects.get()

    with pytest.raises(StepIncomplete) as refused:
        complete_directly(case)

    assert any("مدارک کامل نیست" in problem for problem in refused.value.problems)
    assert any("مشخصات نامه" in problem for problem in refused.value.problems)
    assert open_step(case) == "documents"


def test_documents_can_still_be_left_backwards_while_incomplete(demo):
    CitizenDriver(logged_in("citizen")).until_documents()
    case = Case.objects.get()

    complete_directly(case, BACK)

    assert open_step(case) == "apartment"


def test_the_appointment_cannot_be_left_without_a_verified_phone_and_a_held_hour(demo):
    driver = CitizenDriver(logged_in("citizen"))
    driver.until_appointment()
    case = Case.objects.get()

    with pytest.raises(StepIncomplete) as refused:
        complete_directly(case)

    assert len(refused.value.problems) == 2
    assert open_step(case) == "appointment"


def test_fees_cannot_be_left_with_the_debt_open_whatever_completes_the_task(demo):
    case = register_transfer("citizen", code=B)
    inspector_decides(case)

    with pytest.raises(StepIncomplete):
        complete_directly(case)

    assert open_step(case) == "fees"
    case.refresh_from_db()
    assert case.status == CaseStatus.INSPECTION_APPROVED


def test_a_page_that_lost_its_own_check_is_stopped_by_the_flow(demo, monkeypatch):
    """The fees page forgets the debt (a regression): the flow still refuses, with 409
    and the reason, and the fees settlement the page wrote is rolled back."""
    case = register_transfer("citizen", code=B)
    inspector_decides(case)
    monkeypatch.setattr(FeesView, "problems", lambda self: [])
    client = logged_in("citizen")
    fees = open_task_of(case, case.citizen)

    response = client.post(fees.reverse("execute"), {"action": "next"})

    assert response.status_code == 409
    assert Page.of(response).has("بدهی عوارض نوسازی این کدنوسازی پرداخت نشده است")
    case.refresh_from_db()
    assert case.status == CaseStatus.INSPECTION_APPROVED  # settle_fees rolled back
    fees.refresh_from_db()
    assert fees.status == STATUS.ASSIGNED
    assert not case.events.filter(name="fees_settled").exists()


def test_an_inquiry_is_not_registered_past_an_open_debt_by_any_path(demo, monkeypatch):
    """The inquiry's fees page registers the case on ثبت درخواست و صدور; with the page's
    own check lost, the flow's refusal rolls the registration back too."""
    driver = InquiryDriver(logged_in("citizen"))
    records = driver.until_records(B)
    documents = driver.step(records, "گام بعدی")
    documents = driver.step(documents, "تایید و ارسال", LETTER,
                            files={"kind_0": "inquiry_letter",
                                   "file_0": upload("l.jpg", jpeg_with_gps())},
                            expect=(200,))
    fees = driver.step(documents, "گام بعدی")
    monkeypatch.setattr(InquiryFeesView, "problems", lambda self: [])

    response = driver.client.post(fees.wsgi_request.path, {"action": "next"})

    assert response.status_code == 409
    case = Case.objects.get()
    assert case.status == CaseStatus.DRAFT and case.tracking_number is None
    assert open_step(case) == "fees"


# Steps whose leaving is decided by what they do, not by what the case holds.
NO_REQUIREMENTS = {
    "confirm": "تایید و ثبت registers the case; the gateway after it routes by that",
    "inspection": "the inspector's result is the step: approved or cancelled",
}


@pytest.mark.parametrize("flow_class", [TransferFlow, InquiryFlow])
def test_every_human_step_declares_what_the_case_needs_to_leave_it(flow_class):
    """A step added later must tell the flow its requirements, or be listed above."""
    bare = [node.name for node in flow_class.instance.nodes()
            if isinstance(node, PersonalStep) and not node.requirements
            and node.name not in NO_REQUIREMENTS]
    assert bare == []
