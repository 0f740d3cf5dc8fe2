"""The two step-skipping exploits an outside probe found, replayed as a citizen would.

A citizen sent their own open task to another step's URL (`issuance`'s), whose view has
nothing to check, and so left the fees step with the debt unpaid and the documents step
with no document. Both must be refused, and nothing may change.
"""

from __future__ import annotations

import pytest
from viewflow.workflow.status import STATUS

from cases.models import Case, CaseStatus
from tests.support.transfer_driver import (
    B, CitizenDriver, inspector_decides, logged_in, register_transfer,
)
from workflows.models import CaseTask
from workflows.wizard import open_task_of

pytestmark = pytest.mark.django_db(transaction=True)


def open_tasks(case) -> list[tuple[str, str]]:
    return sorted(
        (task.flow_task.name, task.status)
        for task in CaseTask.objects.filter(process_id=case.process.pk)
        .exclude(status__in=[STATUS.DONE, STATUS.CANCELED])
    )


def test_the_fees_task_sent_to_the_issuance_url_is_refused_with_the_debt_unpaid(demo):
    case = register_transfer("citizen", code=B)
    inspector_decides(case)
    client = logged_in("citizen")
    fees = open_task_of(case, case.citizen)
    assert fees.flow_task.name == "fees"
    before = open_tasks(case)

    response = client.post(
        f"/flows/transfer/{case.process.pk}/issuance/{fees.pk}/execute/", {"action": "next"}
    )

    assert 400 <= response.status_code < 500, response.status_code
    assert open_tasks(case) == before
    case.refresh_from_db()
    assert case.status == CaseStatus.INSPECTION_APPROVED


def test_the_documents_task_sent_to_the_issuance_url_is_refused_without_documents(demo):
    driver = CitizenDriver(logged_in("citizen"))
    driver.until_documents()
    case = Case.objects.get(citizen__username="citizen")
    documents = open_task_of(case, case.citizen)
    assert documents.flow_task.name == "documents"
    before = open_tasks(case)

    response = driver.client.post(
        f"/flows/transfer/{case.process.pk}/issuance/{documents.pk}/execute/", {"action": "next"}
    )

    assert 400 <= response.status_code < 500, response.status_code
    assert open_tasks(case) == before
    assert not case.documents.exists()
