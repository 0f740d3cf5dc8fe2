"""The staff lists as querysets: every one bounded, ordered by an indexed column.

Pages are cut by "has next" (one row more than the page) rather than COUNT(*), so a
page costs the same at a thousand cases as at a million.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.identity import normalize_mobile
from cases.models import Case, CaseStatus, District, Property
from cases.persian import clean_number_input
from cases.prepared import PreparedRead
from workflows import flow_versions
from workflows.models import CaseProcess

from .access import INSPECT, SUPERVISE, is_inspector, is_supervisor
from .flows import nodes_of, queue_permissions, queue_refs

OPEN_TASK_STATUSES = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.ERROR]
CASE_PATH = "process__caseprocess__case"
# A task someone may take: a permission neither NULL nor empty, as one condition. Two
# excludes (IS NULL, = '') made PostgreSQL multiply three selectivities and expect a few
# rows, so it joined every unassigned task before sorting instead of walking the oldest
# first and stopping at a page (the queue at millions of cases).
HAS_PERMISSION = {"owner_permission__gt": ""}


@dataclass
class PageSlice:
    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_of(queryset: QuerySet, number: int, size: int | None = None,
            keys_from: QuerySet | None = None) -> PageSlice:
    """One page, and whether there is another (see page_cut)."""
    size = size or settings.STAFF_PAGE_SIZE
    number = max(1, number)
    return sliced(list(page_cut(queryset, number, size, keys_from)), number, size)


def page_cut(queryset: QuerySet, number: int, size: int,
             keys_from: QuerySet | None = None) -> QuerySet:
    """Page `number`'s rows and one more (a next page's sign). `keys_from`, for a list
    filtered and ordered on its own table's columns (the queryset without what the page
    shows): the page's keys are picked from that table alone and only those rows are
    joined to what they show, since PostgreSQL sorts after the joins and so would join
    every matching row to cut a page of them."""
    start = (number - 1) * size
    if keys_from is not None:
        queryset = queryset.filter(pk__in=keys_from.values("pk")[start:start + size + 1])
        start = 0
    return queryset[start:start + size + 1]


def sliced(rows: list, number: int, size: int) -> PageSlice:
    """A page from its rows and the one after them, if any."""
    return PageSlice(rows=rows[:size], number=number, has_next=len(rows) > size)


# The columns each list exports (views/common.py): rows carry nothing else, not the
# citizen's password hash nor the task's data, so an export builds only what it prints.
# The pages read theirs as plain values (staff/rows.py).
_CASE = f"{CASE_PATH}__"
CASE_ROW = ("tracking_number", "service", "status", "registered_at", "property__district__name",
            "citizen__first_name", "citizen__last_name")
CASE_CSV = (*CASE_ROW, "contact_phone", "property__renovation_code", "property__address")
# A case's status always: its state-machine mixin reads it as the row is built.
TASK_ROW = ("flow_task", "created", "owner__username", "owner__first_name", "owner__last_name",
            f"{_CASE}status", f"{_CASE}tracking_number", f"{_CASE}property__district__name")
TASK_CSV = (*TASK_ROW, f"{_CASE}property__address")


def shown(queryset: QuerySet, fields: tuple[str, ...]) -> QuerySet:
    """`queryset` reading only `fields` (and the keys that join them), in one query."""
    relations = {field.rsplit("__", 1)[0] for field in fields if "__" in field}
    return queryset.select_related(None).select_related(*relations).only(*fields)


def _with_case(tasks: QuerySet) -> QuerySet:
    return tasks.select_related(
        f"{CASE_PATH}__property__district", f"{CASE_PATH}__citizen", "owner"
    )


def queue_for(user) -> QuerySet:
    """Unassigned human tasks the user may take: their groups' permissions (viewflow's
    user_queue) and, for inspectors, only in the districts they cover."""
    return queue_of(*queue_scope(user), district_type=district_type_id())


def queue_scope(user) -> tuple[bool, tuple[str, ...], tuple[str, ...]]:
    """What decides a person's queue: (superuser, the queue permissions they hold, the
    districts they cover as the tasks name them)."""
    if user.is_superuser:
        return True, (), ()
    districts = tuple(str(number) for (number,) in _DISTRICTS_OF.rows(user.pk))
    return False, tuple(_permissions(user)), districts


def queue_of(superuser: bool, permissions: tuple[str, ...], districts: tuple[str, ...],
             district_type: int) -> QuerySet:
    """The queue of a scope (queue_scope), oldest first; `district_type`, the content type
    id of District, which names a visit's district."""
    tasks = Task.objects.filter(flow_task_type="HUMAN", status=STATUS.NEW, owner__isnull=True,
                                flow_task__in=queue_refs())
    if superuser:
        tasks = tasks.filter(**HAS_PERMISSION)
    else:
        # A visit names its district as its permission object (flows/rules.visit_district):
        # the task table's own index (workflows 0007) then gives the inspector's districts'
        # unassigned tasks oldest first, with no join to the cases to find them.
        tasks = tasks.filter(owner_permission__in=permissions,
                             owner_permission_content_type_id=district_type,
                             owner_permission_obj_pk__in=districts)
    return _with_case(tasks).order_by("created", "pk")


def district_type_id() -> int:
    """District's content type id, which names a visit's district (kept by Django per
    process)."""
    return ContentType.objects.get_for_model(District).pk


def _districts_of(user_id: int) -> QuerySet:
    return District.objects.filter(inspectors__user=user_id).values_list("number")


# Every queue page asks: compiled once per process (cases/prepared.py).
_DISTRICTS_OF = PreparedRead(_districts_of, -7_000_005)


def _permissions(user) -> list[str]:
    """The queue nodes' permissions the user holds: viewflow's user_queue asks Django for all
    of a person's permissions (two queries); the role the request holds answers for the
    staff roles' two, and Django is asked only for a permission outside them."""
    known = {INSPECT: is_inspector(user), SUPERVISE: is_supervisor(user)}
    if queue_permissions() <= known.keys():
        return [permission for permission in queue_permissions() if known[permission]]
    return list(user.get_all_permissions())


def open_tasks(flow: str = "", node: str = "", owner_id: int | None = None,
               district: int | None = None, order_by: list[str] | None = None) -> QuerySet:
    """Open human tasks of registered cases, oldest first unless `order_by` (staff.sorting)
    says otherwise (the supervisor's list)."""
    tasks = Task.objects.filter(status__in=OPEN_TASK_STATUSES, flow_task_type="HUMAN",
                                **HAS_PERMISSION)
    if flow:
        tasks = tasks.filter(flow_task__in=[n.ref for n in nodes_of(flow)])
    if node:
        tasks = tasks.filter(flow_task=node)
    if owner_id:
        tasks = tasks.filter(owner_id=owner_id)
    if district:
        # Through the district's cases (property → case → process, all by index), not by
        # joining every open task to its case first.
        tasks = tasks.filter(process_id__in=CaseProcess.objects.filter(
            case__property__district_id=district).values("pk"))
    return _with_case(tasks).order_by(*(order_by or ("created", "pk")))


def search_cases(q: str = "", flow: str = "", node: str = "", status: str = "",
                 date_from=None, date_to=None, district: int | None = None,
                 order_by: list[str] | None = None) -> QuerySet:
    """Registered cases matching the staff search, newest registration first unless
    `order_by` (staff.sorting) says otherwise."""
    cases = Case.objects.exclude(status=CaseStatus.DRAFT).filter(registered_at__isnull=False)
    q = clean_number_input(q or "").strip()
    if q:
        cases = cases.filter(_text_match(q))
    if flow:
        cases = cases.filter(service=flow)
    if status:
        cases = cases.filter(status=status)
    if date_from:
        cases = cases.filter(registered_at__date__gte=date_from)
    if date_to:
        cases = cases.filter(registered_at__date__lte=date_to)
    if district:
        cases = cases.filter(property__district_id=district)
    if node:
        cases = cases.filter(Exists(Task.objects.filter(
            process_id=OuterRef("process__pk"), flow_task=node, status__in=OPEN_TASK_STATUSES
        )))
    return cases.select_related("property__district", "citizen").order_by(
        *(order_by or ("-registered_at", "-pk")))


def with_open_step(cases: QuerySet) -> QuerySet:
    """Each case with `open_step`: the node of its newest open task, where it waits now.

    The node, not its name: viewflow reads the stored reference back as the flow's own
    node, so its title is the one `.Annotation(title=...)` gave it, for any flow's step."""
    newest = Task.objects.filter(process_id=OuterRef("process__pk"),
                                 status__in=OPEN_TASK_STATUSES).order_by("-created", "-pk")
    return cases.annotate(open_step=Subquery(newest.values("flow_task")[:1]))


def _text_match(q: str) -> Q:
    """A tracking number, a mobile number, a renovation code, or a citizen's name.

    Each alternative is an indexed lookup on the case itself (other tables only through
    `IN (subquery)`), so PostgreSQL can combine them without reading the case table.
    """
    compact = q.replace(" ", "")
    try:
        phone = normalize_mobile(compact)
    except ValidationError:
        phone = None
    tracking = compact.isdigit() and len(compact) == 10 and compact[0] != "0"
    if phone:
        # "9121234567" is both a mobile number without its 0 and a tracking number.
        match = Q(contact_phone=phone) | Q(citizen_id__in=_users(mobile=phone))
        return match | Q(tracking_number=compact) if tracking else match
    if tracking:
        return Q(tracking_number=compact)
    if compact.replace("-", "").isdigit():
        return Q(property_id__in=Property.objects.filter(renovation_code=compact).values("pk"))
    words = q.split()
    if len(words) >= 2:
        return Q(citizen_id__in=_users(first_name=words[0], last_name=" ".join(words[1:]))) | Q(
            citizen_id__in=_users(last_name=q))
    return Q(citizen_id__in=_users(last_name=q)) | Q(citizen_id__in=_users(first_name=q))


MAX_MATCHED_PEOPLE = 200


def _users(**lookup) -> list[int]:
    """Ids of the people matching, read first (one bounded query), so the case query is
    an OR of index lookups on the case's own columns rather than a subplan the planner
    can only check row by row while walking the newest-first index."""
    return list(get_user_model().objects.filter(**lookup).values_list("pk", flat=True)
                .order_by("pk")[:MAX_MATCHED_PEOPLE])


def active_incidents() -> list:
    """Open incidents, oldest first, each with its case and its node's title."""
    from cases.incidents.models import ACTIVE, Incident
    from cases.incidents.registry import can_retry

    rows = list(Incident.objects.filter(status__in=ACTIVE).select_related("case")
                .order_by("opened_at", "pk")[:500])
    for incident in rows:
        label = incident.flow_label
        classes = flow_versions.versions(label)[::-1] if label in flow_versions.labels() else ()
        # The newest version's title of the step; none when no loaded version has it.
        node = next((flow.instance.node(incident.node_name, no_obsolete=True)
                     for flow in classes if incident.node_name
                     and flow.instance.node(incident.node_name, no_obsolete=True)), None)
        incident.node_title = node.task_title if node else ""
        incident.flow_title = classes[0].process_title if classes else ""
        incident.retryable = can_retry(incident.kind)
    return rows
