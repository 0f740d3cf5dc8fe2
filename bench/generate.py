"""A city's history at scale: cases with their processes, timelines and tasks.

Rows are written straight to the tables — PostgreSQL's COPY where available, batched
INSERTs elsewhere — because a million ORM saves take hours. Every case gets its
process row and its status history (timeline events); `full_history` of them also get
every task they went through; `open_tasks` cases wait at a human node now (most at the
inspection, assigned to an inspector of their district with a booked hour, some
unassigned in the queue). Ids continue after the tables' current maximum.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from viewflow.workflow.fields import get_flow_ref, get_task_ref
from viewflow.workflow.status import PROCESS, STATUS

from cases.models import District, InspectorProfile
from cases.tracking import _luhn_check_digit
from flows.inquiry_flow import InquiryFlow
from flows.transfer_flow import TransferFlow

BATCH = 20_000
TRANSFER_STEPS = ["start", "apartment", "documents", "appointment", "confirm", "inspection",
                  "fees", "issuance"]
INQUIRY_STEPS = ["start", "property", "records", "documents", "fees"]
EMPTY_JSON = "{}"
# A task's permission columns: name, object type, object key (viewflow's); a visit names
# its district (flows/rules.visit_district).
NO_PERMISSION = (None, None, None)


@dataclass
class Plan:
    cases: int
    open_tasks: int
    full_history: int
    inspectors: int = 40
    days: int = 365
    seed: int = 1405


class TableWriter:
    """Rows into one table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, table: str, columns: Sequence[str]):
        self.table, self.columns, self.rows = table, list(columns), []
        self.written = 0

    def add(self, row: Sequence) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        cols = ", ".join(self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} ({cols}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {self.table} ({cols}) VALUES ({marks})",
                                   [[_adapt(v) for v in row] for row in self.rows])
        self.written += len(self.rows)
        self.rows = []


def _adapt(value):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return cursor.fetchone()[0] + 1


def _reset_sequences(tables: Iterable[str]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


LOADED_TABLES = ["accounts_user", "cases_property", "cases_case", "viewflow_process",
                 "workflows_caseprocess", "viewflow_task", "cases_caseevent",
                 "cases_inspectionslot", "appointments_appointment"]


def vacuum_analyze(tables: Iterable[str] = LOADED_TABLES) -> None:
    """After a bulk load, as PostgreSQL advises: fresh statistics (else the planner takes a
    million rows for a few thousand) and the visibility map that lets the covering indexes
    answer without reading the table — what autovacuum gives a live database in time.
    VACUUM cannot run inside a transaction (a test's): there, statistics only."""
    if connection.vendor != "postgresql":
        return
    verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(f"{verb} {', '.join(tables)}")


def tracking_number(n: int) -> str:
    payload = f"{100_000_000 + n:09d}"
    return payload + _luhn_check_digit(payload)


def _inspectors(count: int, districts: list[int]) -> list[tuple[int, list[int]]]:
    """(user id, districts) of `count` generated inspectors, made once and reused."""
    User = get_user_model()
    group, _ = Group.objects.get_or_create(name="inspector")
    result = []
    for i in range(count):
        user, created = User.objects.get_or_create(
            username=f"gen-inspector-{i}",
            defaults={"first_name": "کارشناس", "last_name": f"شماره {i}", "is_staff": False},
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(group)
        profile, _ = InspectorProfile.objects.get_or_create(user=user)
        mine = [districts[i % len(districts)], districts[(i + 7) % len(districts)]]
        profile.districts.add(*mine)
        result.append((user.pk, mine))
    return result


def generate(plan: Plan, stdout=None) -> dict[str, int]:
    rnd = random.Random(plan.seed)
    now = timezone.now().replace(microsecond=0)
    for number in range(1, 23):
        District.objects.get_or_create(number=number, defaults={"name": f"منطقه {number}"})
    districts = list(range(1, 23))
    with transaction.atomic():
        inspectors = _inspectors(plan.inspectors, districts)
        by_district: dict[int, list[int]] = {}
        for user_id, mine in inspectors:
            for d in mine:
                by_district.setdefault(d, []).append(user_id)
        counts = _write(plan, rnd, now, by_district, stdout)
    vacuum_analyze()
    return counts


def _write(plan: Plan, rnd: random.Random, now, by_district, stdout) -> dict[str, int]:
    district_type = ContentType.objects.get_for_model(District).pk

    def visit_permission(district: int) -> tuple:
        return ("cases.inspect_case", district_type, str(district))

    ids = {t: _next_id(t) for t in ("accounts_user", "cases_property", "cases_case",
                                     "viewflow_process", "viewflow_task", "cases_caseevent",
                                     "cases_inspectionslot", "appointments_appointment")}
    citizens_n = max(1, plan.cases // 10)
    properties_n = max(1, plan.cases // 5)
    users = TableWriter("accounts_user", [
        "id", "password", "is_superuser", "username", "first_name", "last_name", "email",
        "is_staff", "is_active", "date_joined", "national_id", "mobile", "roles_version"])
    for i in range(citizens_n):
        uid = ids["accounts_user"] + i
        users.add((uid, "!", False, f"gen-citizen-{uid}", "شهروند", f"نمونه {uid}", "", False,
                   True, now, None, f"093{uid % 100_000_000:08d}", 0))
    users.flush()
    properties = TableWriter("cases_property", [
        "id", "renovation_code", "district_id", "address", "registry_plate", "area_m2", "floor",
        "unit", "owner_names"])
    property_district = []
    for i in range(properties_n):
        pid = ids["cases_property"] + i
        district = 1 + (i % 22)
        property_district.append(district)
        properties.add((pid, f"{district}-{pid}-1-1-0-0-1", district, f"خیابان نمونه، پلاک {pid}",
                        f"{pid}/1", "80.00", "1", "1", "مالک نمونه"))
    properties.flush()

    cases = TableWriter("cases_case", [
        "id", "service", "citizen_id", "property_id", "request_number", "applicant_role",
        "letter_number", "letter_institution", "letter_date", "contact_phone", "tracking_number",
        "status", "cancel_reason", "refund_due", "created_at", "registered_at", "closed_at"])
    processes = TableWriter("viewflow_process", [
        "id", "flow_class", "status", "created", "finished", "data"])
    links = TableWriter("workflows_caseprocess", ["process_ptr_id", "case_id"])
    tasks = TableWriter("viewflow_task", [
        "id", "flow_task", "flow_task_type", "status", "created", "assigned", "started",
        "finished", "token", "owner_id", "owner_permission", "owner_permission_content_type_id",
        "owner_permission_obj_pk", "process_id", "data", "scheduled"])
    events = TableWriter("cases_caseevent", [
        "id", "case_id", "at", "actor_id", "name", "from_status", "to_status", "data"])
    slots = TableWriter("cases_inspectionslot", ["id", "inspector_id", "starts_at", "ends_at"])
    appointments = TableWriter("appointments_appointment", [
        "id", "case_id", "slot_id", "status", "held_until", "created_at", "booked_at"])

    flows = {"transfer": (get_flow_ref(TransferFlow), TransferFlow, TRANSFER_STEPS),
             "inquiry": (get_flow_ref(InquiryFlow), InquiryFlow, INQUIRY_STEPS)}
    refs = {(label, step): get_task_ref(getattr(flow, step))
            for label, (_, flow, steps) in flows.items() for step in steps}
    next_task, next_event = ids["viewflow_task"], ids["cases_caseevent"]
    next_slot, next_appointment = ids["cases_inspectionslot"], ids["appointments_appointment"]
    from django.db.models import Max

    from cases.models import InspectionSlot

    slot_clock: dict[int, datetime.datetime] = {
        row["inspector_id"]: row["last"] + datetime.timedelta(hours=1)
        for row in InspectionSlot.objects.values("inspector_id").annotate(last=Max("starts_at"))
    }
    open_every = max(1, plan.cases // max(1, plan.open_tasks)) if plan.open_tasks else 0
    history_every = max(1, plan.cases // max(1, plan.full_history)) if plan.full_history else 0
    opened = 0
    today = timezone.localtime(now).replace(hour=9, minute=0, second=0)

    for i in range(plan.cases):
        case_id, process_id = ids["cases_case"] + i, ids["viewflow_process"] + i
        label = "transfer" if i % 4 else "inquiry"
        flow_ref, _, steps = flows[label]
        prop_index = rnd.randrange(properties_n)
        district = property_district[prop_index]
        created = now - datetime.timedelta(days=rnd.random() * plan.days)
        registered = created + datetime.timedelta(minutes=rnd.randint(5, 90))
        is_open = open_every and i % open_every == 0 and opened < plan.open_tasks
        history = [("case_registered", "draft", "registered", registered)]
        if is_open:
            opened += 1
            status, closed, finished = "registered", None, None
            if label == "transfer":
                current = "inspection"
            else:
                current = "fees"
        else:
            roll = rnd.random()
            current = None
            if roll < 0.12:
                status = "cancelled"
                closed = registered + datetime.timedelta(days=rnd.uniform(1, 8))
                history.append(("case_cancelled", "registered", "cancelled", closed))
            else:
                status = "archived"
                closed = registered + datetime.timedelta(days=rnd.uniform(2, 15))
                if label == "transfer":
                    approved = registered + (closed - registered) * 0.4
                    settled = registered + (closed - registered) * 0.8
                    history += [
                        ("inspection_approved", "registered", "inspection_approved", approved),
                        ("fees_settled", "inspection_approved", "fees_settled", settled)]
                issued = closed - datetime.timedelta(minutes=5)
                history += [("case_issued", "fees_settled" if label == "transfer" else "registered",
                             "issued", issued), ("case_archived", "issued", "archived", closed)]
            finished = closed
        citizen_id = ids["accounts_user"] + rnd.randrange(citizens_n)
        cases.add((case_id, label, citizen_id,
                   ids["cases_property"] + prop_index, "", "owner", "", "", None,
                   f"0912{i % 10_000_000:07d}", tracking_number(case_id), status,
                   "انصراف متقاضی" if status == "cancelled" else "", False, created, registered,
                   closed))
        processes.add((process_id, flow_ref, PROCESS.NEW if is_open else (
            PROCESS.CANCELED if status == "cancelled" else PROCESS.DONE), created, finished,
            EMPTY_JSON))
        links.add((process_id, case_id))
        for name, src, dst, at in history:
            events.add((next_event, case_id, at, None, name, src, dst, EMPTY_JSON))
            next_event += 1
        # Task history: every step for `full_history` cases; the open step for open ones.
        if history_every and (i + 1) % history_every == 0:
            done_steps = steps if not is_open else steps[: steps.index(current)]
            at = created
            for step in done_steps:
                wait = datetime.timedelta(minutes=rnd.randint(1, 30)) if step != "inspection" \
                    else datetime.timedelta(hours=rnd.uniform(4, 24 * 9))
                perm = visit_permission(district) if step == "inspection" else NO_PERMISSION
                tasks.add((next_task, refs[(label, step)], "HUMAN", STATUS.DONE, at, at, at,
                           at + wait, "start", None, *perm, process_id, EMPTY_JSON, None))
                next_task += 1
                at = at + wait
        if is_open:
            # The start task names the citizen, whom the later citizen steps go back to.
            tasks.add((next_task, get_task_ref(flows[label][1].start), "HUMAN_START", STATUS.DONE,
                       created, created, created, registered, "start", citizen_id,
                       *NO_PERMISSION, process_id, EMPTY_JSON, None))
            next_task += 1
            owner, task_status, visit_at = None, STATUS.NEW, None
            if current == "inspection":
                candidates = by_district.get(district) or [None]
                if rnd.random() < 0.9 and candidates[0] is not None:
                    owner, task_status = rnd.choice(candidates), STATUS.ASSIGNED
                    start = slot_clock.get(owner, today - datetime.timedelta(days=10))
                    slot_clock[owner] = start + datetime.timedelta(hours=1)
                    slots.add((next_slot, owner, start, start + datetime.timedelta(hours=1)))
                    appointments.add((next_appointment, case_id, next_slot, "booked", None,
                                      registered, registered))
                    visit_at = start
                    next_slot += 1
                    next_appointment += 1
                perm = visit_permission(district)
            else:
                perm = NO_PERMISSION
            tasks.add((next_task, refs[(label, current)], "HUMAN", task_status, registered,
                       registered if owner else None, None, None, "start", owner, *perm,
                       process_id, EMPTY_JSON, visit_at))
            next_task += 1
        if stdout and i and i % 100_000 == 0:
            stdout.write(f"  {i:,} cases")
    for writer in (cases, processes, links, events, tasks, slots, appointments):
        writer.flush()
    written = ["accounts_user", "cases_property", "cases_case", "viewflow_process",
               "viewflow_task", "cases_caseevent", "cases_inspectionslot",
               "appointments_appointment"]
    _reset_sequences(written)
    return {"users": users.written, "properties": properties.written, "cases": cases.written,
            "processes": processes.written, "tasks": tasks.written, "events": events.written,
            "appointments": appointments.written, "open_tasks": opened}


def give_todays_visits(username: str, count: int = 5) -> int:
    """Hand `count` generated open visits to `username`, booked at today's hours (demo)."""
    from cases.appointments.models import Appointment
    from cases.models import InspectionSlot
    from viewflow.workflow.models import Task

    user = get_user_model().objects.get(username=username)
    today = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    moved = 0
    tasks = Task.objects.filter(status=STATUS.ASSIGNED, owner_permission="cases.inspect_case",
                                owner__username__startswith="gen-inspector-").order_by("pk")[:count]
    with transaction.atomic():
        for hour, task in zip(range(9, 9 + count), tasks):
            starts = today.replace(hour=hour)
            slot, _ = InspectionSlot.objects.get_or_create(
                inspector=user, starts_at=starts,
                defaults={"ends_at": starts + datetime.timedelta(minutes=59)})
            if Appointment.objects.filter(slot=slot, status__in=["held", "booked"]).exists():
                continue
            Appointment.objects.filter(case_id=task.process.caseprocess.case_id,
                                       status__in=["held", "booked"]).update(slot=slot)
            Task.objects.filter(pk=task.pk).update(owner=user, scheduled=starts)
            moved += 1
    return moved
