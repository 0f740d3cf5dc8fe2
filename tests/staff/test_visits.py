"""«بازدیدهای من»: today first, then upcoming, then overdue; the result from a list."""

import datetime

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task

from cases.models import CaseStatus
from cases.prepared import PreparedStatement
from integrations.sms.models import OutboxMessage
from tests.support.clients import logged_in
from tests.support.pages import Page
from tests.support.transfer_driver import (
    move_visit_by_hand,
    post_button,
    register_a_case_for_today,
)

pytestmark = pytest.mark.django_db


def section_of(case) -> str:
    response = logged_in("inspector").get("/staff/visits/")
    html = response.content.decode()
    for key in ("today", "upcoming", "overdue"):
        rows = dict((k, rows) for k, _, rows in response.context["sections"])[key]
        if any(row["case"].pk == case.pk for row in rows):
            assert f"tel:{case.contact_phone}" in html
            return key
    return "none"


def test_visits_are_sorted_into_today_upcoming_and_overdue(demo):
    case = register_a_case_for_today()
    assert section_of(case) == "today"
    now = timezone.localtime()
    move_visit_by_hand(case, now + datetime.timedelta(days=2))
    assert section_of(case) == "upcoming"
    move_visit_by_hand(case, now - datetime.timedelta(days=2))
    assert section_of(case) == "overdue"


def test_a_visit_cancelled_with_a_listed_reason_tells_the_citizen_that_reason(demo):
    case = register_a_case_for_today()
    client = logged_in("inspector")
    inbox = Page.of(client.get("/staff/visits/"))
    visit = client.get(inbox.link("ثبت نتیجه بازدید"))
    response = post_button(client, visit, "ثبت نتیجه بازدید",
                           {"ابطال": True, "دلیل ابطال از فهرست": "absent"})
    assert response.status_code == 302, Page.of(response).text[:500]
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED
    assert case.cancel_reason == "مالک یا نماینده در محل حاضر نبود"
    sms = OutboxMessage.objects.get(correlation=f"case:{case.pk}", kind="inspection_cancelled")
    assert "در محل حاضر نبود" in sms.body


def test_a_generated_visit_runs_through_the_real_flow(city):
    """The generator's rows are the engine's own: a generated visit is approved on its
    page and the process moves on to the citizen's fees step."""
    from bench.generate import give_todays_visits

    city(40, open_tasks=20)
    assert give_todays_visits("inspector", count=2) == 2
    client = logged_in("inspector")
    inbox = client.get("/staff/visits/")
    today = dict((k, rows) for k, _, rows in inbox.context["sections"])["today"]
    assert len(today) == 2
    case = today[0]["case"]
    visit = client.get(today[0]["url"])
    assert Page.of(visit).has(case.property.address)
    response = post_button(client, visit, "ثبت نتیجه بازدید", {"تأیید": True})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.INSPECTION_APPROVED
    fees = case.process.task_set.get(flow_task="flows/transfer_flow.TransferFlow.fees")
    assert fees.owner_id == case.citizen_id and fees.status == "ASSIGNED"


def test_a_visit_dropped_and_taken_by_a_colleague_keeps_its_hour_on_their_list(demo):
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from viewflow.workflow.models import Task

    case = register_a_case_for_today()
    hour = case.appointments.get().slot.starts_at
    task = Task.objects.get(process=case.process, owner__username="inspector",
                            owner_permission="cases.inspect_case")
    assert logged_in("inspector").post(reverse("staff:unassign", args=[task.pk])).status_code == 302
    colleague = get_user_model().objects.get(username="inspector2")
    colleague.inspector_profile.districts.add(case.property.district_id)

    response = logged_in("inspector2").post(reverse("staff:claim", args=[task.pk]))

    assert response.status_code == 302
    visit = case.appointments.live().select_related("slot").get()
    assert (visit.slot.inspector, visit.slot.starts_at) == (colleague, hour)
    rows = dict((k, rows) for k, _, rows in
                logged_in("inspector2").get("/staff/visits/").context["sections"])
    assert [row["case"].pk for row in rows["today"]] == [case.pk]
    assert case.events.filter(name="appointment_handed_over", actor=colleague).exists()


def _sorted_in_python(user, start, end) -> dict[str, list[int]]:
    """The lists' rule, spelled out: today and upcoming by hour; overdue by hour, then the
    visits with no live booking by when they were made."""
    from workflows.views.inbox import SECTION_LIMIT, visit_tasks

    rows = list(visit_tasks(user).values_list("pk", "visit_at", "created"))
    today = sorted((r for r in rows if r[1] and start <= r[1] < end), key=lambda r: r[1])
    upcoming = sorted((r for r in rows if r[1] and r[1] >= end), key=lambda r: r[1])
    overdue = sorted((r for r in rows if not r[1] or r[1] < start),
                     key=lambda r: (r[1] is None, r[1] or r[2], r[2]))
    return {key: [r[0] for r in found[:SECTION_LIMIT]]
            for key, found in (("today", today), ("upcoming", upcoming), ("overdue", overdue))}


def test_the_lists_cut_in_sql_follow_the_rule_past_the_limit(city, monkeypatch):
    """More visits than a list shows, some booked today, some past, some with no live
    booking left: the database's cut equals the rule applied to every visit."""
    from django.contrib.auth import get_user_model

    from cases.appointments.models import Appointment
    from workflows.views import inbox

    city(120, open_tasks=100)
    user = get_user_model().objects.get(username="gen-inspector-0")
    tasks = list(inbox.visit_tasks(user).order_by("pk"))
    assert len(tasks) > 6
    released = [t.process.caseprocess.case_id for t in tasks[:2]]
    # Visits with no live booking (made without one): no hour to list them by.
    Appointment.objects.filter(case_id__in=released).update(status="released")
    Task.objects.filter(pk__in=[t.pk for t in tasks[:2]]).update(scheduled=None)
    monkeypatch.setattr(inbox, "SECTION_LIMIT", 3)
    # The statement is built once per process: one made afresh takes the lower limit, and
    # goes with the monkeypatch.
    monkeypatch.setattr(inbox, "_UNION", PreparedStatement(inbox._union, *inbox._UNION._stand_ins))
    now = timezone.now()
    for days in (-12, -3, 0, 2, 30, 4000):
        start, end = inbox.day_bounds(now + datetime.timedelta(days=days))
        expected = _sorted_in_python(user, start, end)
        assert inbox._cut(user, start, end) == expected, days
        if days == -12:  # every hour ahead: overdue holds only the two with no booking
            assert len(expected["upcoming"]) == 3 and len(expected["overdue"]) == 2


def test_a_visit_is_listed_at_its_booked_hour_from_registration_to_a_reschedule(demo):
    """The hour the list orders by is the booking's: set as the visit is made, moved with
    appointments.reschedule (which texts the citizen)."""
    from cases.appointments import services as appointments
    from tests.support.transfer_driver import register_transfer

    case = register_transfer("citizen")
    booked = appointments.current(case)
    visit = Task.objects.get(process__caseprocess__case=case, status__in=["NEW", "ASSIGNED"],
                             owner_permission="cases.inspect_case")
    assert visit.scheduled == booked.slot.starts_at

    later = next(t for t in appointments.free_times(case.property.district_id, case=case)
                 if t > booked.slot.starts_at)
    appointments.reschedule(case, later)
    visit.refresh_from_db()
    assert visit.scheduled == later
    owner = visit.owner.username
    page = logged_in(owner).get("/staff/visits/")
    rows = dict((k, rows) for k, _, rows in page.context["sections"])
    assert [row["visit_at"] for row in rows["upcoming"] if row["case"].pk == case.pk] == [later]


def test_the_lists_are_read_in_two_statements_built_once(demo, postgres):
    """The visits page's two reads are compiled once per process (cases/prepared.py) and
    give what the ORM gives: today's visit, in full with its case."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workflows.views import inbox

    case = register_a_case_for_today()
    inspector = case.appointments.live().select_related("slot__inspector").get().slot.inspector
    inbox.visit_sections(inspector)
    with CaptureQueriesContext(connection) as captured:
        sections = inbox.visit_sections(inspector)
    assert len(captured) == 2
    [row] = sections["today"]
    assert row["case"].pk == case.pk and row["task"].owner_id == inspector.pk
    assert row["task"].pk in inbox.visit_tasks(inspector).values_list("pk", flat=True)
    assert inbox._UNION._compiled and inbox._IN_FULL._compiled
    other = type(inspector).objects.exclude(pk=inspector.pk).filter(is_staff=True).first()
    assert not any(inbox.visit_sections(other).values())  # another's visits are not listed
