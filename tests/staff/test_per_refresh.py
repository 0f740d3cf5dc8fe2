"""What the dashboards make from the summary's rows is made once per refresh and period,
and a new refresh shows what it brought."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.jalali import format_jalali_date
from staff import per_refresh
from staff.models import DistrictLoad, NodeWaitDay
from staff.summary import BUCKET_EDGES, refresh
from tests.support.clients import logged_in

AT = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)


def _refresh(pk: int, at: datetime.datetime = AT):
    return SimpleNamespace(pk=pk, refreshed_at=at)


def test_a_value_is_made_once_per_refresh_and_key():
    made = []

    def make(value):
        return lambda: made.append(value) or value

    first = _refresh(10_001)
    assert per_refresh.kept(first, "a", make(1)) == 1
    assert per_refresh.kept(first, "a", make(2)) == 1  # kept
    assert per_refresh.kept(first, "b", make(3)) == 3  # another period, its own
    assert made == [1, 3]
    # The next refresh: nothing of the last one's is given again.
    assert per_refresh.kept(_refresh(10_002), "a", make(4)) == 4
    # The same id made again with another time (a rolled-back test database): a new one.
    assert per_refresh.kept(_refresh(10_002, AT + datetime.timedelta(seconds=1)), "a",
                            make(5)) == 5
    # No refresh yet: nothing to key on, made on every call.
    assert [per_refresh.kept(None, "a", make(n)) for n in (6, 7)] == [6, 7]


def test_only_the_latest_periods_are_kept():
    refresh_ = _refresh(10_003)
    for key in range(per_refresh.MAX_VALUES + 1):
        per_refresh.kept(refresh_, key, lambda key=key: key)
    assert per_refresh.kept(refresh_, 0, lambda: "made again") == "made again"
    assert per_refresh.kept(refresh_, per_refresh.MAX_VALUES, lambda: "made again") == (
        per_refresh.MAX_VALUES)


def _summary_reads(client, url: str, period: dict) -> tuple[list[str], object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, period)
    tables = ("staff_nodewaitday", "staff_dailycount", "staff_districtload",
              "staff_opentaskcount")
    return [t for t in tables if any(t in q["sql"] for q in captured)], response.context


@pytest.mark.django_db
def test_the_dashboard_reads_the_summary_once_per_refresh_and_shows_the_next(city):
    city(40, open_tasks=10)
    refresh()
    client = logged_in("supervisor")
    url = reverse("staff:dashboard", args=["transfer"])
    period = {"date_from": format_jalali_date(timezone.localdate() - datetime.timedelta(days=366))}
    read, first = _summary_reads(client, url, period)
    assert read == ["staff_nodewaitday", "staff_dailycount", "staff_districtload",
                    "staff_opentaskcount"]
    read, again = _summary_reads(client, url, period)
    assert read == []
    stats = {s.node.name: s for s in again["stats"]}
    assert stats["inspection"].finished == {
        s.node.name: s for s in first["stats"]}["inspection"].finished > 0
    # What a refresh brings (written here by hand: no new task finished since) is shown
    # once it is the last refresh.
    row = NodeWaitDay.objects.filter(flow_label="transfer", node_name="inspection").first()
    row.histogram = [0] * len(BUCKET_EDGES) + [1_000]
    row.save()
    refresh()
    read, after = _summary_reads(client, url, period)
    assert read == ["staff_nodewaitday", "staff_dailycount", "staff_districtload",
                    "staff_opentaskcount"]
    inspection = {s.node.name: s for s in after["stats"]}["inspection"]
    assert inspection.finished >= 1_000 and inspection.median == BUCKET_EDGES[-1] * 2
    assert {d.pk for d in after["districts"]} == set(
        DistrictLoad.objects.filter(flow_label="transfer").values_list("pk", flat=True))
