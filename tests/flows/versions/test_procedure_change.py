"""A procedure changes while cases are open: version 2 of the transfer flow is deployed
(the test app `transfer_v2_app`: بررسی حقوقی added before the fees, صدور گواهی removed)
while version 1 holds a case at every one of its people's steps.

New cases start on version 2; the open ones finish on version 1, or are moved by a
mapping, after a dry run that counts them, and then finish on version 2. A case at a
step the mapping leaves out stays exactly as it was.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cases.models import CaseEvent, CaseStatus
from integrations.sms.models import OutboxMessage
from tests.support.pages import Page
from workflows import flow_versions
from workflows.models import CaseMove, CaseProcess, CaseTask

from .driver import STEPS, V1_STEPS, Parked, deployed, park, start

pytestmark = pytest.mark.django_db(transaction=True)  # automatic steps run on commit


def version_of(parked: Parked) -> int:
    return CaseProcess.objects.get(case=parked.case).flow_class.version


def tasks_of(parked: Parked) -> list[tuple]:
    return list(CaseTask.objects.filter(process__caseprocess__case=parked.case).order_by("pk")
                .values_list("pk", "flow_task", "status", "owner_id"))


def migrate(*args: str) -> str:
    out = io.StringIO()
    call_command("migrate_cases", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def parked(demo, postgres) -> dict[str, Parked]:
    """Version 1 (the only one yet) holds a case at each of its people's steps."""
    return {step: park(step, n) for n, step in enumerate(V1_STEPS)}


def test_new_cases_start_on_v2_while_open_cases_finish_on_v1(parked):
    with deployed():
        newcomer = start(99)
        assert version_of(newcomer) == 2
        assert newcomer.driver.client.get("/flows/transfer/start/")["Location"] == \
            "/flows/transfer/v2/start/"  # the old start page sends new cases on
        for step, case in parked.items():
            assert version_of(case) == 1, step
            finished = case.finish()
            assert finished.status == CaseStatus.ARCHIVED, step
            assert version_of(case) == 1, step
            names = set(CaseTask.objects.filter(process__caseprocess__case=case.case)
                        .values_list("flow_task", flat=True))
            assert flow_versions.flow("transfer", 1).instance.node("issuance") in names, step
        finished = newcomer.finish()
        assert finished.status == CaseStatus.ARCHIVED
        steps = [t.flow_task.name for t in CaseTask.objects.filter(
            process__caseprocess__case=newcomer.case).order_by("pk")]
        assert "legal_review" in steps and "issuance" not in steps


def test_dry_run_then_migration_moves_the_mapped_cases_which_finish_on_v2(parked):
    with deployed():
        plan = migrate("transfer", "--from", "1", "--to", "2", "--map", "fees=legal_review",
                       "--dry-run")
        assert "open cases on version 1: 7 (can move 6, cannot 1)" in plan
        for step in ("apartment", "documents", "appointment", "confirm", "inspection"):
            assert f"  {step} (" in plan and f"): 1 → {step} (" in plan, (step, plan)
        assert "  fees (عوارض نوسازی): 1 → legal_review (بررسی حقوقی)" in plan
        # صدور گواهی is gone from version 2 and the mapping says nothing of it.
        assert "issuance (صدور گواهی): 0 → —; cannot move: 1" in plan
        assert "گام «صدور گواهی» در نسخه ۲ نیست و نگاشتی برای آن داده نشده است." in plan
        assert not CaseMove.objects.exists()  # a dry run moves nothing
        assert all(version_of(p) == 1 for p in parked.values())

        left_alone = tasks_of(parked["issuance"])
        inspector = parked["inspection"].open_task().owner_id
        texts_before = OutboxMessage.objects.count()
        report = migrate("transfer", "--from", "1", "--to", "2", "--map", "fees=legal_review")
        assert "moved 6, not moved 1" in report

        assert tasks_of(parked["issuance"]) == left_alone and version_of(parked["issuance"]) == 1
        assert parked["inspection"].open_task().owner_id == inspector  # same role: kept
        assert parked["fees"].open_task().flow_task.name == "legal_review"
        # Only the citizen whose next action changed (عوارض نوسازی → بررسی حقوقی) is texted.
        texts = OutboxMessage.objects.filter(kind="next_step_changed")
        assert OutboxMessage.objects.count() - texts_before == texts.count() == 1
        assert "بررسی حقوقی" in texts.get().body
        registered = parked["inspection"].case
        event = CaseEvent.objects.get(case=registered, name="case_migrated")
        assert (event.data["from_version"], event.data["to_version"]) == (1, 2)

        for step, case in parked.items():
            if step == "issuance":
                continue
            assert version_of(case) == 2, step
            assert case.finish().status == CaseStatus.ARCHIVED, step
            assert version_of(case) == 2, step
        names = [t.flow_task.name for t in CaseTask.objects.filter(
            process__caseprocess__case=parked["fees"].case).order_by("pk")]
        assert names[names.index("legal_review"):][:3] == ["legal_review", "fees", "issue"]

        # The refused case is still whole on version 1, and finishes there.
        assert parked["issuance"].finish().status == CaseStatus.ARCHIVED


def test_undo_moves_back_the_cases_nothing_happened_to(parked):
    documents_before = tasks_of(parked["documents"])
    with deployed():
        report = migrate("transfer", "--from", "1", "--to", "2", "--map",
                         "fees=legal_review,issuance=fees")
        assert "moved 7, not moved 0" in report
        migration = CaseMove.objects.get(case=parked["fees"].case).migration
        # Something happens on one moved case: its citizen does the step.
        STEPS["apartment"](parked["apartment"], parked["apartment"].open_task())

        dry = migrate("--undo", str(migration.pk), "--dry-run")
        assert f"migration {migration.pk}: 7 case(s) not yet moved back; 1 can no longer be" in dry
        assert f"case {parked['apartment'].case.pk}:" in dry
        undone = migrate("--undo", str(migration.pk))
        assert "moved 6 case(s) back" in undone
        for step in V1_STEPS:
            if step != "apartment":
                assert version_of(parked[step]) == 1, step
        assert version_of(parked["apartment"]) == 2
        # Exactly as before the move: the task it left reopened (same id, owner, status).
        assert tasks_of(parked["documents"])[:len(documents_before)] == documents_before
        assert parked["documents"].open_task().pk == documents_before[-1][0]
        assert parked["fees"].finish().status == CaseStatus.ARCHIVED
        assert version_of(parked["fees"]) == 1


def test_a_stale_page_after_a_move_leads_to_the_current_step(parked):
    fees = parked["fees"]
    stale_url = fees.open_task().reverse("execute")
    with deployed():
        migrate("transfer", "--from", "1", "--to", "2", "--map", "fees=legal_review")
        current = fees.open_task()
        response = fees.driver.client.get(stale_url)
        assert response.status_code == 302 and response["Location"] == current.reverse("execute")
        page = Page.of(fees.driver.client.get(response["Location"]))
        assert page.has("مراحل این خدمت تغییر کرده") and page.has("بررسی حقوقی")
        posted = fees.driver.client.post(stale_url, {"action": "next"})
        assert posted.status_code == 409 and Page.of(posted).has("مراحل این خدمت تغییر کرده")
        assert fees.open_task().pk == current.pk  # the stale form changed nothing
