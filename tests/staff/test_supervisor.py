"""Reassigning and cancelling land on the timeline and text the citizen; CSV; dashboards."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from cases.appointments.models import Appointment
from cases.jalali import format_jalali_date
from cases.models import Case, CaseEvent, CaseStatus, Holiday, InspectionSlot
from integrations.sms.models import OutboxMessage
from staff import summary, workdays
from staff.models import SlaTarget
from staff.summary import percentile, refresh
from tests.support.clients import logged_in
from tests.support.pages import Page

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def open_visits(city):
    city(80, open_tasks=30)
    visits = Task.objects.filter(status=STATUS.ASSIGNED, owner_permission="cases.inspect_case")
    # One inspector's visits: each at its own hour, so one colleague can take them all.
    return list(visits.filter(owner=visits.order_by("pk")[0].owner).order_by("pk")[:3])


def test_reassigning_many_tasks_lands_on_each_timeline(open_visits):
    to = User.objects.get(username="inspector2")
    response = logged_in("supervisor").post(reverse("staff:tasks"), {
        "task": [t.pk for t in open_visits], "to_user": to.pk, "reason": "بیماری کارشناس"})
    assert response.status_code == 302
    for task in open_visits:
        task.refresh_from_db()
        assert task.owner == to and task.status == STATUS.ASSIGNED
        event = CaseEvent.objects.get(case=task.process.caseprocess.case, name="task_reassigned")
        assert event.data["reason"] == "بیماری کارشناس"
        assert event.actor.username == "supervisor" and event.data["to_user_id"] == to.pk
        # The booked hour went with the task: the new inspector's slot, the same time.
        visit = Appointment.objects.live().select_related("slot").get(
            case=task.process.caseprocess.case)
        assert visit.slot.inspector == to
        moved = CaseEvent.objects.get(case=visit.case, name="appointment_handed_over")
        assert moved.data["from_inspector_id"] != to.pk
        assert moved.data["starts_at"] == timezone.localtime(visit.slot.starts_at).isoformat()


def test_a_visit_is_not_handed_to_an_inspector_busy_at_that_hour(open_visits):
    first, second = open_visits[:2]
    to = User.objects.get(username="inspector2")
    busy = Appointment.objects.live().select_related("slot").get(
        case=second.process.caseprocess.case)
    # inspector2 already visits another case at the first visit's hour.
    hour = Appointment.objects.live().get(case=first.process.caseprocess.case).slot
    clash = InspectionSlot.objects.create(inspector=to, starts_at=hour.starts_at,
                                          ends_at=hour.ends_at)
    Appointment.objects.filter(pk=busy.pk).update(slot=clash)
    owners = {t.pk: t.owner_id for t in open_visits}

    response = logged_in("supervisor").post(reverse("staff:tasks"), {
        "task": [t.pk for t in open_visits], "to_user": to.pk, "reason": "بیماری کارشناس"})

    assert response.status_code == 400
    assert Page.of(response).has("بازدید دیگری دارد")
    # All or nothing: no task changed hands, no visit moved.
    assert {t.pk: t.owner_id for t in Task.objects.filter(pk__in=owners)} == owners
    assert Appointment.objects.live().get(case=first.process.caseprocess.case).slot == hour
    assert not CaseEvent.objects.filter(name__in=["task_reassigned", "appointment_handed_over"])


def test_reassigning_without_a_reason_or_a_task_loses_nothing(open_visits):
    task = open_visits[0]
    owner = task.owner_id
    client = logged_in("supervisor")
    no_reason = client.post(reverse("staff:tasks"), {"task": [task.pk],
                                                     "to_user": User.objects.get(username="inspector2").pk})
    assert no_reason.status_code == 400 and Page.of(no_reason).has("دلیل ارجاع را بنویسید")
    no_task = client.post(reverse("staff:tasks"), {"to_user": owner, "reason": "x"})
    assert no_task.status_code == 400 and Page.of(no_task).has("دست‌کم یک کار را انتخاب کنید")
    task.refresh_from_db()
    assert task.owner_id == owner


def test_a_citizen_cannot_be_given_a_task(open_visits):
    task = open_visits[0]
    response = logged_in("supervisor").post(reverse("staff:tasks"), {
        "task": [task.pk], "to_user": User.objects.get(username="citizen").pk, "reason": "x"})
    assert response.status_code == 400
    assert Page.of(response).has("این کارشناس در فهرست نیست")


def test_cancelling_a_case_texts_the_citizen_and_ends_its_process(open_visits):
    case = open_visits[0].process.caseprocess.case
    response = logged_in("supervisor").post(reverse("staff:cancel", args=[case.pk]), {
        "reason_code": "documents", "details": "سند مالکیت خوانا نیست"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED
    assert case.cancel_reason == "مدارک ناقص یا نادرست: سند مالکیت خوانا نیست"
    assert case.process.status == PROCESS.CANCELED
    assert not case.process.task_set.exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).exists()
    sms = OutboxMessage.objects.get(correlation=f"case:{case.pk}", kind="case_cancelled")
    assert "سند مالکیت خوانا نیست" in sms.body and sms.to == case.contact_phone
    names = list(case.events.values_list("name", flat=True))
    assert "case_cancelled" in names and "sms_queued" in names
    page = Page.of(logged_in("supervisor").get(reverse("staff:case", args=[case.pk])))
    assert page.has("ابطال") and page.has("پیامک")


def test_cancelling_needs_a_reason_and_a_cancellable_case(open_visits):
    case = open_visits[0].process.caseprocess.case
    client = logged_in("supervisor")
    response = client.post(reverse("staff:cancel", args=[case.pk]), {"reason_code": "other"})
    assert response.status_code == 400 and Page.of(response).has("برای «سایر» توضیح بنویسید")
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    archived = Case.objects.filter(status=CaseStatus.ARCHIVED).first()
    refused = client.post(reverse("staff:cancel", args=[archived.pk]), {"reason_code": "duplicate"})
    assert refused.status_code == 400 and Page.of(refused).has("در وضعیتی نیست که ابطال شود")
    assert not OutboxMessage.objects.filter(kind="case_cancelled").exists()


def test_csv_export_has_persian_headers_and_a_bom(open_visits):
    client = logged_in("supervisor")
    response = client.get(reverse("staff:search") + "?status=registered&format=csv")
    body = b"".join(response.streaming_content)
    assert response["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeff".encode()) and "شماره پیگیری".encode() in body.splitlines()[0]
    assert len(body.decode("utf-8-sig").splitlines()) == 1 + Case.objects.filter(
        status=CaseStatus.REGISTERED).count()
    tasks = b"".join(client.get(reverse("staff:tasks") + "?format=csv").streaming_content)
    assert tasks.startswith("\ufeff".encode()) and "کارشناس".encode() in tasks


def test_search_finds_a_case_by_tracking_number_phone_and_code(open_visits):
    case = open_visits[0].process.caseprocess.case
    client = logged_in("supervisor")
    for q in (case.tracking_number, case.contact_phone, case.property.renovation_code):
        page = client.get(reverse("staff:search"), {"q": q})
        assert page.status_code == 200
        assert case.pk in {row["pk"] for row in page.context["page"].rows}, q


def test_a_bad_date_filter_is_told_in_persian(open_visits):
    response = logged_in("supervisor").get(reverse("staff:search"), {"date_from": "1405/13/40"})
    assert response.status_code == 400
    assert Page.of(response).has("تاریخ")


def test_working_days_skip_fridays_and_holidays():
    thursday = datetime.date(2026, 11, 26)
    Holiday.objects.create(date=datetime.date(2026, 11, 29), title="تعطیل نمونه")
    holidays = workdays.holidays_between(thursday, thursday + datetime.timedelta(days=30))
    # Fri 27 skipped, Sat 28 counts, Sun 29 holiday, Mon 30 counts.
    assert workdays.add_working_days(thursday, 2, holidays) == datetime.date(2026, 11, 30)


def test_summary_percentiles_and_sla_breaches_on_the_dashboard(open_visits):
    SlaTarget.objects.update_or_create(flow_label="transfer", node_name="inspection",
                                       defaults={"working_days": 5})
    refresh()
    year_ago = format_jalali_date(timezone.localdate() - datetime.timedelta(days=366))
    response = logged_in("supervisor").get(reverse("staff:dashboard", args=["transfer"]),
                                           {"date_from": year_ago})
    stats = {s.node.name: s for s in response.context["stats"]}
    inspection = stats["inspection"]
    open_now = Task.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED],
                                   flow_task="flows/transfer_flow.TransferFlow.inspection").count()
    assert inspection.waiting == open_now
    assert inspection.sla_days == 5 and inspection.breaches > 0  # generated visits wait for days
    assert inspection.finished > 0 and inspection.median <= inspection.p90
    assert Page.of(response).has("به‌روز شده")
    assert percentile([0, 10, 0], 0.5) == 900 and percentile([], 0.9) is None


def test_the_dashboard_counts_a_new_cancellation(open_visits):
    client = logged_in("supervisor")
    refresh()
    before = client.get(reverse("staff:dashboard", args=["transfer"])).context["totals"]["cancelled"]
    case = next(t.process.caseprocess.case for t in open_visits if t.process.caseprocess.case.service == "transfer")
    client.post(reverse("staff:cancel", args=[case.pk]), {"reason_code": "duplicate"})
    client.post(reverse("staff:refresh", args=["transfer"]))
    after = client.get(reverse("staff:dashboard", args=["transfer"])).context["totals"]["cancelled"]
    assert after == before + 1


def test_a_clerk_sets_an_sla_target_in_the_persian_admin(demo):
    client = logged_in("clerk")
    add = client.get("/admin/staff/slatarget/add/")
    assert add.status_code == 200 and Page.of(add).has("مهلت (روز کاری)")
    wrong = client.post("/admin/staff/slatarget/add/", {
        "flow_label": "inquiry", "node_name": "inspection", "working_days": 3})
    assert wrong.status_code == 200 and Page.of(wrong).has("این گام در این فرایند نیست")
    SlaTarget.objects.filter(flow_label="transfer", node_name="fees").delete()
    done = client.post("/admin/staff/slatarget/add/", {
        "flow_label": "transfer", "node_name": "fees", "working_days": 3})
    assert done.status_code == 302
    assert SlaTarget.objects.get(flow_label="transfer", node_name="fees").working_days == 3


@pytest.mark.parametrize("flow", ["transfer", "inquiry"])
def test_the_dashboard_offers_the_flow_as_bpmn(demo, flow):
    import io

    from django.core.management import call_command

    supervisor = logged_in("supervisor")
    page = supervisor.get(f"/staff/dashboard/{flow}/")
    assert "دریافت نمودار BPMN فرایند" in page.content.decode()
    assert f'href="/staff/flows/{flow}.bpmn?version=1" download' in page.content.decode()
    response = supervisor.get(f"/staff/flows/{flow}.bpmn")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{flow}.bpmn"'
    written = io.StringIO()
    call_command("export_bpmn", flow, stdout=written)
    assert response.content.decode() == written.getvalue()


def test_a_case_path_marks_each_step_it_reached_and_how_often(demo):
    from flows.transfer_flow import TransferFlow
    from staff.casefile import tasks_of
    from staff.charts import case_path
    from tests.support.transfer_driver import register_a_case_for_today

    case = register_a_case_for_today()
    # The citizen went back once from the hour to the documents: a second documents task.
    Task.objects.create(process=case.process, flow_task=TransferFlow.documents,
                        flow_task_type="HUMAN", status=STATUS.DONE)
    steps = {step["id"]: step for step in case_path(tasks_of(case))["path"]}
    assert steps["Node_inspection"]["state"] == "current"
    assert steps["Node_confirm"] == {"id": "Node_confirm", "visits": 1, "state": "done",
                                     "visits_text": "۱"}
    assert steps["Node_documents"]["visits"] == 2 and steps["Node_documents"]["visits_text"] == "۲"
    assert "Node_fees" not in steps


def test_staff_read_the_flow_diagram_citizens_do_not(demo):
    assert logged_in("inspector").get("/staff/flows/transfer.bpmn").status_code == 200
    assert logged_in("citizen").get("/staff/flows/transfer.bpmn").status_code == 403
    assert logged_in("supervisor").get("/staff/flows/nothing.bpmn").status_code == 404


def test_todays_counts_are_current_without_a_refresh(open_visits):
    """What happened since the summary was built is counted live: no button, no wait."""
    client = logged_in("supervisor")
    refresh()
    url = reverse("staff:dashboard", args=["transfer"])
    before = client.get(url).context
    case = next(t.process.caseprocess.case for t in open_visits
                if t.process.caseprocess.case.service == "transfer")
    client.post(reverse("staff:cancel", args=[case.pk]), {"reason_code": "duplicate"})
    after = client.get(url).context
    assert after["totals"]["cancelled"] == before["totals"]["cancelled"] + 1
    today = [d for d in after["days"] if d.day == timezone.localdate()][0]
    assert today.cancelled >= 1
    refresh()  # once the summary holds it, it is not counted twice
    assert client.get(url).context["totals"]["cancelled"] == after["totals"]["cancelled"]


def test_an_event_stamped_in_the_future_waits_for_the_summary(open_visits):
    """The live part counts up to now: a clock set ahead must not inflate today."""
    from staff.dashboard import daily_counts

    refresh()
    case = open_visits[0].process.caseprocess.case
    today = timezone.localdate()
    before = daily_counts(case.service, today, today + datetime.timedelta(days=3),
                          summary.last_refresh())
    import time_machine

    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False):
        CaseEvent.objects.create(case=case, name="case_cancelled")  # the append-only way
    after = daily_counts(case.service, today, today + datetime.timedelta(days=3),
                         summary.last_refresh())
    assert [d.cancelled for d in after] == [d.cancelled for d in before]


def test_an_event_committed_after_a_refresh_that_began_later_is_still_counted(open_visits):
    """A row is stamped before its transaction commits: one stamped a few seconds before a
    refresh but committed after it must be counted, once, by the live part and later runs."""
    from staff.dashboard import daily_counts

    case = open_visits[0].process.caseprocess.case
    today = timezone.localdate()

    def cancelled_today() -> int:
        return [d for d in daily_counts(case.service, today, today, summary.last_refresh())
                if d.day == today][0].cancelled

    refresh()
    before = cancelled_today()
    # The refresh above ran "now"; this event carries a stamp from before it, as a
    # transaction that began earlier and committed later would.
    import time_machine

    with time_machine.travel(timezone.now() - datetime.timedelta(seconds=20), tick=False):
        CaseEvent.objects.create(case=case, name="case_cancelled")  # the append-only way
    assert cancelled_today() == before + 1
    refresh()
    assert cancelled_today() == before + 1
    later = timezone.now() + summary.SETTLE + datetime.timedelta(seconds=1)
    refresh(now=later)  # once the summary covers it, it is counted there, not twice
    assert summary.last_refresh().covered_until > timezone.now() - datetime.timedelta(seconds=20)
    assert cancelled_today() == before + 1


def test_the_load_per_inspector_names_the_heaviest_owners_first():
    from staff.dashboard import TOP_OWNERS, load_per_inspector
    from staff.open_tasks import OpenNow

    people = [User.objects.create(username=f"inspector-{i}", first_name=f"نام{i}",
                                  last_name=f"خانواده{i}") for i in range(TOP_OWNERS + 2)]
    per_owner = {person.pk: i + 1 for i, person in enumerate(people)}
    per_owner[10**9] = 1  # an owner deleted since the refresh: counted, no name
    rows = load_per_inspector(OpenNow({}, per_owner, {}, {}))
    assert len(rows) == TOP_OWNERS
    assert [r["owner_id"] for r in rows[:2]] == [people[-1].pk, people[-2].pk]
    assert rows[0] == {"owner_id": people[-1].pk, "n": TOP_OWNERS + 2,
                       "owner__first_name": f"نام{TOP_OWNERS + 1}",
                       "owner__last_name": f"خانواده{TOP_OWNERS + 1}",
                       "owner__username": f"inspector-{TOP_OWNERS + 1}"}
    few = load_per_inspector(OpenNow({}, {people[0].pk: 2, 10**9: 1}, {}, {}))
    assert few == [
        {"owner_id": people[0].pk, "n": 2, "owner__first_name": "نام0",
         "owner__last_name": "خانواده0", "owner__username": "inspector-0"},
        {"owner_id": 10**9, "n": 1, "owner__first_name": "", "owner__last_name": "",
         "owner__username": ""}]
    assert load_per_inspector(OpenNow({}, {}, {}, {})) == []
