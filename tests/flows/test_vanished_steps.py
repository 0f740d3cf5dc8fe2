"""An open task at a step no loaded flow has (removed or renamed by a release while cases
waited there): an incident with its case, pages that still open, no «تلاش دوباره»."""

import pytest
from django.urls import reverse
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.incidents import services
from cases.incidents.models import Incident, IncidentKind, IncidentStatus
from flows.vanished_steps import report_vanished_steps, vanished_open_tasks
from tests.support.clients import logged_in
from tests.support.transfer_driver import register_a_case_for_today

pytestmark = pytest.mark.django_db
GONE = "flows/transfer_flow.TransferFlow.legal_review"


@pytest.fixture
def stranded(demo):
    """A registered case whose open visit is at a step the flow no longer has."""
    case = register_a_case_for_today()
    task = Task.objects.get(process=case.process, status__in=[STATUS.NEW, STATUS.ASSIGNED])
    Task.objects.filter(pk=task.pk).update(flow_task=GONE)
    return case, task


def test_only_tasks_at_a_vanished_step_are_found(stranded):
    case, task = stranded
    assert vanished_open_tasks() == [(task.pk, GONE, case.pk)]


def test_each_becomes_one_incident_with_its_case_and_no_retry(stranded):
    case, task = stranded
    assert report_vanished_steps() == 1
    assert report_vanished_steps() == 1  # seen again: the same incident, one more sighting
    incident = Incident.objects.get()
    assert (incident.kind, incident.case, incident.flow_label, incident.node_name) == (
        IncidentKind.VANISHED_STEP, case, "transfer", "legal_review")
    assert incident.status == IncidentStatus.OPEN
    page = logged_in("supervisor").get(reverse("staff:incidents")).content.decode()
    assert "گامی که در فرایند نیست" in page and case.tracking_number_display in page
    assert reverse("staff:incident_retry", args=[incident.pk]) not in page
    assert services.retry(incident.pk, None) is False  # nothing could run it again


def test_the_pages_that_show_the_task_still_open(stranded):
    case, task = stranded
    supervisor = logged_in("supervisor")
    for path in (f"/staff/cases/{case.pk}/", "/staff/tasks/", "/staff/dashboard/transfer/"):
        assert supervisor.get(path).status_code == 200, path
    inspector = logged_in(task.owner.username)
    visits = inspector.get("/staff/visits/")
    assert visits.status_code == 200
    assert "این گام دیگر در فرایند نیست" in visits.content.decode()
    assert logged_in("citizen").get(f"/services/cases/{case.pk}/").status_code == 200


def test_the_incident_closes_once_the_task_is_at_a_step_that_exists(stranded):
    case, task = stranded
    report_vanished_steps()
    # Moved back to the step it was at (as a case migration would move it to one).
    Task.objects.filter(pk=task.pk).update(flow_task=get_task_ref(task.flow_task))
    assert report_vanished_steps() == 0
    assert Incident.objects.get().status == IncidentStatus.RESOLVED
