"""Versions as the rest of the service sees them: two migrations of one case at once, a
step gone from every version, the dashboards and BPMN per version, and the deploy check
that refuses to retire a version open cases still hold. Cases are parked directly in the
database (their pages are not the subject here)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.incidents.models import ACTIVE, Incident, IncidentKind
from cases.models import Case, Property
from cases.payments.models import Payment, PaymentStatus
from flows.vanished_steps import report_vanished_steps
from tests.support.clients import logged_in, user
from tests.support.concurrency import run_together
from tests.support.factories import CaseFactory, RenovationDebtFactory
from workflows import flow_versions
from workflows.case_migration import moves
from workflows.case_migration.plan import Request, plan
from workflows.models import CaseMove, CaseProcess, CaseTask

from .driver import V2, deployed

pytestmark = pytest.mark.django_db(transaction=True)  # threads see committed rows

GONE = "flows/transfer_flow.TransferFlow.old_review"


def parked(version: int, step: str, username: str = "citizen") -> Case:
    """A registered case of `version` waiting at `step`, its task the citizen's."""
    flow_class = flow_versions.flow("transfer", version)
    citizen = user(username)
    case = CaseFactory(citizen=citizen, property=Property.objects.order_by("pk").first(),
                       advanced_to="registered")
    process = CaseProcess.objects.create(flow_class=flow_class, case=case)
    CaseTask.objects.create(process=process, flow_task=flow_class.start, status=STATUS.DONE,
                            owner=citizen)
    CaseTask.objects.create(process=process, flow_task=flow_class.instance.node(step),
                            status=STATUS.ASSIGNED, owner=citizen)
    return case


def version_of(case: Case) -> int:
    return CaseProcess.objects.get(case=case).flow_class.version


def test_two_migrations_of_one_case_at_once_move_it_once(demo, postgres):
    case = parked(1, "fees")
    with deployed():
        request = Request.of("transfer", 1, 2, {"fees": "legal_review"})
        first, second = moves.start(request), moves.start(request)
        verdicts = run_together(lambda: moves.move_case(first, request, case.pk),
                                lambda: moves.move_case(second, request, case.pk))
        assert not any(isinstance(v, Exception) for v in verdicts), verdicts
        assert sorted(v.movable for v in verdicts) == [False, True]
        assert CaseMove.objects.filter(case=case).count() == 1
        open_tasks = CaseTask.objects.filter(process__caseprocess__case=case,
                                             status__in=[STATUS.NEW, STATUS.ASSIGNED])
        assert [t.flow_task.name for t in open_tasks] == ["legal_review"]
        assert version_of(case) == 2


def test_a_step_gone_from_every_version_is_an_incident_and_can_be_moved(demo, postgres):
    case = parked(1, "fees")
    Task.objects.filter(process__caseprocess__case=case, status=STATUS.ASSIGNED).update(
        flow_task=GONE)
    report_vanished_steps()
    incident = Incident.objects.get(kind=IncidentKind.VANISHED_STEP, case=case)
    incidents = logged_in("supervisor").get("/staff/incidents/")
    assert incidents.status_code == 200 and "old_review" in incidents.content.decode()
    with deployed():
        refused = plan(Request.of("transfer", 1, 2, {}))
        assert [(v.case_id, v.from_node) for v in refused.refused] == [(case.pk, "old_review")]
        assert "«old_review» در نسخه ۲ نیست" in refused.refused[0].refusal
        out = io.StringIO()
        call_command("migrate_cases", "transfer", "--from", "1", "--to", "2",
                     "--map", "old_review=legal_review", stdout=out)
        assert "moved 1, not moved 0" in out.getvalue()
        assert CaseTask.objects.get(process__caseprocess__case=case,
                                    status=STATUS.ASSIGNED).flow_task.name == "legal_review"
    report_vanished_steps()  # the next sweep finds the task gone from the vanished step
    incident.refresh_from_db()
    assert incident.status not in ACTIVE


def test_the_dashboard_counts_open_cases_per_version_and_draws_each(demo, postgres):
    parked(1, "fees")
    parked(1, "issuance")
    with deployed():
        newer = parked(2, "legal_review")
        supervisor = logged_in("supervisor")
        # The workspace's filters name each version's steps; a case's page draws its own.
        tasks = supervisor.get("/staff/tasks/").content.decode()
        assert "بررسی حقوقی (نسخه ۲)" in tasks and "عوارض نوسازی (نسخه ۲)" in tasks
        file = supervisor.get(f"/staff/cases/{newer.pk}/")
        assert file.status_code == 200
        assert "/staff/flows/transfer.bpmn?version=2" in file.content.decode()
        # The open counts are the summary's: the supervisor brings it up to date.
        supervisor.post("/staff/dashboard/transfer/refresh/")
        page = supervisor.get("/staff/dashboard/transfer/").content.decode()
        assert 'class="version-2" aria-current="true"' in page and "نسخه ۲</th>" not in page
        assert 'data-open="1"' in page.split('class="version-2"')[1].split("</tr>")[0]
        assert 'data-open="2"' in page.split('class="version-1"')[1].split("</tr>")[0]
        assert "/staff/flows/transfer.bpmn?version=2" in page
        older = supervisor.get("/staff/dashboard/transfer/?version=1").content.decode()
        assert 'class="version-1" aria-current="true"' in older
        assert supervisor.get("/staff/dashboard/transfer/?version=7").status_code == 404
        for version, (present, absent) in {1: ("صدور گواهی", "بررسی حقوقی"),
                                           2: ("بررسی حقوقی", "صدور گواهی")}.items():
            xml = supervisor.get(f"/staff/flows/transfer.bpmn?version={version}")
            assert xml.status_code == 200
            text = xml.content.decode()
            assert present in text and f'name="{absent}"' not in text
            written = io.StringIO()
            call_command("export_bpmn", "transfer", "--flow-version", str(version), stdout=written)
            assert written.getvalue() == text
            suffix = "" if version == 1 else "-v2"
            assert xml["Content-Disposition"] == f'attachment; filename="transfer{suffix}.bpmn"'


def test_a_version_open_cases_hold_cannot_be_retired(demo, postgres):
    held = parked(1, "fees")
    call_command("check", databases=["default"])  # listed: nothing to say
    with deployed(), override_settings(FLOW_VERSIONS={"transfer": [V2], "inquiry": [
            "flows.inquiry_flow.InquiryFlow"]}):
        with pytest.raises(SystemCheckError) as refused:
            call_command("check", databases=["default"])
        assert "flows.E001" in str(refused.value) and f"case ids {held.pk}" in str(refused.value)
        with pytest.raises(SystemCheckError):  # a deploy's one-shot `migrate` stops there
            call_command("migrate", skip_checks=False, verbosity=0)
        call_command("check")  # without --database nothing reads the cases


def test_a_case_whose_payment_is_at_the_bank_is_listed_and_not_moved(demo, postgres):
    at_bank = parked(1, "fees")
    debt = RenovationDebtFactory(property=at_bank.property)
    Payment.objects.create(case=at_bank, debt=debt, payer=at_bank.citizen,
                           amount_rials=debt.amount_rials, status=PaymentStatus.REDIRECTED)
    free = parked(1, "fees", "citizen2")
    with deployed():
        out = io.StringIO()
        call_command("migrate_cases", "transfer", "--from", "1", "--to", "2",
                     "--map", "fees=legal_review", stdout=out)
        assert f"cannot move case {at_bank.pk}: پرداخت این پرونده در بانک است" in out.getvalue()
        assert "moved 1, not moved 1" in out.getvalue()
        assert (version_of(at_bank), version_of(free)) == (1, 2)
