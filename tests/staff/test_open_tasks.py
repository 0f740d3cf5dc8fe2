"""The dashboards' open tasks: counted at the summary's refresh, read from its rows."""

import datetime
from collections import Counter

import pytest
from django.db.models import CharField, Count
from django.db.models.functions import Cast
from django.utils import timezone
from viewflow.workflow.models import Task

from staff import open_tasks
from staff.flows import nodes_of
from staff.models import OpenTaskCount, SlaTarget
from staff.queries import OPEN_TASK_STATUSES
from staff.summary import refresh

pytestmark = pytest.mark.django_db
INSPECTION = "flows/transfer_flow.TransferFlow.inspection"


@pytest.fixture
def counted(city):
    city(200, open_tasks=80)
    SlaTarget.objects.update_or_create(flow_label="transfer", node_name="inspection",
                                       defaults={"working_days": 5})
    refresh()
    return open_tasks.open_now("transfer")


def live(flow_label: str) -> Counter:
    refs = [n.ref for n in nodes_of(flow_label)]
    rows = (Task.objects.filter(status__in=OPEN_TASK_STATUSES, flow_task__in=refs)
            .annotate(ref=Cast("flow_task", CharField()))
            .values_list("ref", "owner_id").annotate(n=Count("pk")).order_by())
    return Counter({(ref, owner): n for ref, owner, n in rows})


def test_the_refresh_counts_every_open_task_by_node_and_owner(counted):
    kept = Counter({(r.node_ref, r.owner_id): r.open_tasks
                    for r in OpenTaskCount.objects.filter(flow_label="transfer")})
    assert kept == live("transfer") and sum(kept.values()) > 10
    waiting = Counter()
    for (ref, _), n in kept.items():
        waiting[ref] += n
    assert {ref: n for ref, (n, _) in counted.waiting.items()} == dict(waiting)
    owners = Counter()
    for (_, owner), n in kept.items():
        if owner is not None:
            owners[owner] += n
    assert counted.per_owner == dict(owners) and owners


def test_breaches_are_the_tasks_older_than_their_sla_at_the_refresh(counted):
    today = timezone.localdate()
    oldest_allowed = timezone.now() - datetime.timedelta(days=8)  # 5 working days or more ago
    recent = timezone.now() - datetime.timedelta(hours=1)
    visits = Task.objects.filter(status__in=OPEN_TASK_STATUSES, flow_task=INSPECTION)
    old, new = list(visits.order_by("pk").values_list("pk", flat=True)[:2])
    Task.objects.filter(pk=old).update(created=oldest_allowed - datetime.timedelta(days=30))
    Task.objects.filter(pk=new).update(created=recent)
    refresh()
    now = open_tasks.open_now("transfer")
    cutoff = open_tasks.grouped_counts("transfer", today)
    assert now.sla_days == {"inspection": 5}
    assert now.breaches["inspection"] == sum(row.get("late", 0) for row in cutoff)
    assert 1 <= now.breaches["inspection"] < visits.count()


def test_the_page_shows_the_counts_of_the_last_refresh_until_the_next(counted):
    one = Task.objects.filter(status__in=OPEN_TASK_STATUSES, flow_task=INSPECTION).first()
    one.status = "DONE"
    one.save(update_fields=["status"])
    before = counted.waiting[INSPECTION][0]
    assert open_tasks.open_now("transfer").waiting[INSPECTION][0] == before
    refresh()
    assert open_tasks.open_now("transfer").waiting[INSPECTION][0] == before - 1


def test_no_refresh_yet_counts_nothing(city):
    city(40, open_tasks=10)
    now = open_tasks.open_now("transfer")
    assert now.waiting == {} and now.per_owner == {}
