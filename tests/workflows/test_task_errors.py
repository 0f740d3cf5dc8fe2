"""A gateway that fails where viewflow keeps the error (a Job, a Timer, any caller under
`Context(propagate_exception=False)`) leaves its task in ERROR: the supervisor sees an
incident, and «تلاش دوباره» after the fix moves the case on once, however often pressed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.context import Context
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.incidents.models import Incident, IncidentKind, IncidentStatus
from cases.models import Case, CaseStatus
from cases.models.timeline import EVENT_TITLES
from flows.inquiry_flow import InquiryFlow
from staff.casefile import timeline
from staff.queries import active_incidents
from tests.support.clients import logged_in
from tests.support.concurrency import run_together
from tests.support.inquiry_driver import A, InquiryDriver
from tests.support.pages import Page
from tests.support.transfer_driver import post_button
from workflows import task_errors
from workflows.automation import sweep_automatic_steps

pytestmark = pytest.mark.django_db
GATEWAY = InquiryFlow.after_records  # If(went_forward) after «بررسی سوابق»


def rule_broken(activation):
    raise RuntimeError("rule broken")


def stop_at_the_gateway(monkeypatch) -> Task:
    """The citizen completes «بررسی سوابق» in a context that keeps errors while the
    gateway's rule fails. The node holds its rule, so the node's is the one patched."""
    citizen = InquiryDriver(logged_in("citizen"))
    records = citizen.until_records(A)
    monkeypatch.setattr(GATEWAY, "_condition", rule_broken)
    with Context(propagate_exception=False):
        response = post_button(citizen.client, records, "گام بعدی")
    assert response.status_code == 302
    return Task.objects.get(flow_task=GATEWAY)


def the_rule_is_fixed(monkeypatch) -> None:
    monkeypatch.undo()


def tasks_of(node) -> list[str]:
    return list(Task.objects.filter(flow_task=node).order_by("pk").values_list("status", flat=True))


@pytest.fixture
def stopped(demo, postgres, monkeypatch) -> Task:
    return stop_at_the_gateway(monkeypatch)


def test_the_task_in_error_is_an_incident_the_supervisor_sees(stopped):
    assert stopped.status == STATUS.ERROR
    assert stopped.data["_exception"]["title"] == "rule broken"
    incident = Incident.objects.get()
    assert (incident.kind, incident.subject, incident.status) == (
        IncidentKind.TASK_ERROR, f"task:{stopped.pk}", IncidentStatus.OPEN)
    assert (incident.flow_label, incident.node_name) == ("inquiry", "after_records")
    assert incident.error == "RuntimeError: rule broken"
    assert incident.case == Case.objects.get()

    [listed] = active_incidents()
    assert listed.pk == incident.pk and listed.node_title == "گام بعدی یا قبلی پس از سوابق"
    supervisor = logged_in("supervisor")
    page = Page.of(supervisor.get(reverse("staff:incidents")))
    for text in ("گام متوقف در خطا", "گام بعدی یا قبلی پس از سوابق", "rule broken", "تلاش دوباره"):
        assert page.has(text), text
    # The case's timeline (a draft's: staff open registered cases only) names the kind.
    [opened] = [entry for entry in timeline(incident.case)
                if entry.title == EVENT_TITLES["incident_opened"]]
    assert "نوع: گام متوقف در خطا" in opened.details


def test_retry_after_the_fix_moves_the_case_on_once(
        stopped, monkeypatch, django_capture_on_commit_callbacks):
    the_rule_is_fixed(monkeypatch)
    incident = Incident.objects.get()
    supervisor = logged_in("supervisor")
    retry = reverse("staff:incident_retry", args=[incident.pk])
    with django_capture_on_commit_callbacks(execute=True):
        supervisor.post(retry)
    again = supervisor.post(retry, follow=True)
    assert "در حال تلاش دوباره است یا برطرف شده" in again.content.decode()

    assert tasks_of(GATEWAY) == [STATUS.REVIVED, STATUS.DONE]
    revived = Task.objects.get(flow_task=GATEWAY, status=STATUS.DONE)
    assert stopped.pk in set(revived.previous.values_list("pk", flat=True))
    assert len(tasks_of(InquiryFlow.documents)) == 1  # the next step, once
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESOLVED

    assert task_errors.revive_task(stopped.pk) == "revived-elsewhere"  # a second run: nothing
    assert tasks_of(GATEWAY) == [STATUS.REVIVED, STATUS.DONE]
    assert len(tasks_of(InquiryFlow.documents)) == 1
    assert not active_incidents()


def test_a_retry_that_fails_again_leaves_nothing_half_done(
        stopped, django_capture_on_commit_callbacks):
    incident = Incident.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        logged_in("supervisor").post(reverse("staff:incident_retry", args=[incident.pk]))
    assert tasks_of(GATEWAY) == [STATUS.ERROR]  # rolled back: no REVIVED, no second task
    assert tasks_of(InquiryFlow.documents) == []
    incident.refresh_from_db()
    assert (incident.status, incident.attempts) == (IncidentStatus.OPEN, 2)
    assert incident.error == "RuntimeError: rule broken"


def test_the_sweep_opens_the_missing_incident_once(demo, postgres, monkeypatch):
    # Opening it when the task failed went wrong: the kept error still stands.
    def database_hiccup(*args, **kwargs):
        raise RuntimeError("could not write")

    monkeypatch.setattr(task_errors, "record_task_failure", database_hiccup)
    stopped = stop_at_the_gateway(monkeypatch)
    assert stopped.status == STATUS.ERROR and not Incident.objects.exists()

    the_rule_is_fixed(monkeypatch)  # and the recorder works again
    sweep_automatic_steps(older_than_seconds=0)
    incident = Incident.objects.get()
    assert (incident.kind, incident.subject, incident.node_name) == (
        IncidentKind.TASK_ERROR, f"task:{stopped.pk}", "after_records")
    assert incident.error == "RuntimeError: rule broken"
    sweep_automatic_steps(older_than_seconds=0)
    assert Incident.objects.count() == 1 and Incident.objects.get().attempts == 1


def test_the_sweep_leaves_the_tasks_of_a_cancelled_case_alone(
        demo, postgres, monkeypatch, django_assert_num_queries):
    stopped = stop_at_the_gateway(monkeypatch)
    Incident.objects.all().delete()
    Case.objects.filter(pk=stopped.process.caseprocess.case_id).update(
        status=CaseStatus.CANCELLED, tracking_number="1234567890", registered_at=timezone.now())
    with django_assert_num_queries(1):  # one bounded query finds what is missing
        assert task_errors.open_missing_incidents() == 0


@pytest.mark.django_db(transaction=True)
def test_two_retries_at_once_revive_the_task_once(demo, postgres, monkeypatch):
    stopped = stop_at_the_gateway(monkeypatch)
    the_rule_is_fixed(monkeypatch)
    outcomes = run_together(*[lambda: task_errors.revive_task(stopped.pk)] * 2)
    assert sorted(outcomes) == ["revived", "revived-elsewhere"]
    assert tasks_of(GATEWAY) == [STATUS.REVIVED, STATUS.DONE]
    assert len(tasks_of(InquiryFlow.documents)) == 1
    assert Incident.objects.get().status == IncidentStatus.RESOLVED
