"""The staff lists' pages read through SQL compiled once per shape: the same rows as the
ORM gives for each request's own values, one compile per shape."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.signals import setting_changed
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import InspectorProfile
from staff import list_reads, queries, rows, sorting
from staff.list_reads import ShapedRead
from tests.support.factories import UserFactory

TASKS_ORDER = sorting.TASKS.order_by(None)
CASES_ORDER = sorting.CASES.order_by(None)


def _orm(queryset, fields, number, size=None, keys_first=False):
    """The page as the ORM reads it, every call built and compiled anew."""
    page = queries.page_of(queryset.values_list(*fields), number, size,
                           keys_from=queryset if keys_first else None)
    return [values[0] for values in page.rows], page.has_next


def _pks(page):
    return [row["pk"] for row in page.rows], page.has_next


@pytest.fixture
def counted_builds(monkeypatch):
    """How many times each list's queryset is built (once per shape)."""
    built = []
    for name in ("_task_query", "_case_query", "_queue_query"):
        read = {"_task_query": rows._TASK_PAGES, "_case_query": rows._CASE_PAGES,
                "_queue_query": rows._QUEUE_PAGES}[name]
        original = read._build
        read.forget()

        def counting(shape, *values, original=original, name=name):
            built.append(name)
            return original(shape, *values)

        monkeypatch.setattr(read, "_build", counting)
    return built


def _busiest_districts(n: int) -> list[int]:
    found = queries.open_tasks().values_list(
        f"{queries.CASE_PATH}__property__district_id", flat=True)
    counts: dict[int, int] = {}
    for district in found:
        counts[district] = counts.get(district, 0) + 1
    return sorted(counts, key=lambda d: -counts[d])[:n]


@pytest.mark.django_db
def test_each_request_gets_its_own_values_from_one_compiled_shape(city, counted_builds):
    city(150, open_tasks=60)
    by_district = {}
    for district in _busiest_districts(3):
        by_district[district] = _pks(rows.task_page(1, TASKS_ORDER, district=district))
        assert by_district[district] == _orm(
            queries.open_tasks(district=district, order_by=TASKS_ORDER), rows.TASK_FIELDS, 1)
    assert len({tuple(pks) for pks, _ in by_district.values()}) == 3  # the values are used
    # One queryset built for the three districts (and once more for compiling it).
    assert counted_builds.count("_task_query") <= 2
    # Another page, another order and a flow are other shapes, each right.
    for number, order, flow in ((2, TASKS_ORDER, ""), (1, sorting.TASKS.order_by("-created"), ""),
                                (1, TASKS_ORDER, "transfer")):
        assert _pks(rows.task_page(number, order, flow=flow)) == _orm(
            queries.open_tasks(flow=flow, order_by=order), rows.TASK_FIELDS, number)


@pytest.mark.django_db
def test_the_search_without_a_text_is_shaped_and_with_one_is_built(city, counted_builds):
    city(150, open_tasks=60)
    pages = []
    for district in _busiest_districts(2):
        filters = {"district": district, "status": "archived"}
        pages.append(_pks(rows.case_page(1, CASES_ORDER, **filters)))
        assert pages[-1] == _orm(
            queries.search_cases(**filters, order_by=CASES_ORDER), rows.CASE_FIELDS, 1)
    assert pages[0] != pages[1] and counted_builds.count("_case_query") <= 2
    # Dates too (on SQLite, which passes dates as text, that shape is left to the ORM).
    dated = {"date_from": datetime.date(2020, 1, 1), "date_to": datetime.date(2030, 1, 1)}
    assert _pks(rows.case_page(1, CASES_ORDER, **dated)) == _orm(
        queries.search_cases(**dated, order_by=CASES_ORDER), rows.CASE_FIELDS, 1)
    built = counted_builds.count("_case_query")
    case = queries.search_cases().exclude(tracking_number="").first()
    found = rows.case_page(1, CASES_ORDER, q=case.tracking_number)
    assert [row["pk"] for row in found.rows] == [case.pk]
    assert counted_builds.count("_case_query") == built  # a text is the ORM's


@pytest.mark.django_db
def test_an_inspectors_queue_is_theirs_whatever_their_number_of_districts(city, counted_builds):
    city(150, open_tasks=60)
    for districts in ([3], [12], [3, 12], [5, 7]):
        inspector = UserFactory(staff=True, roles=["inspector"])
        InspectorProfile.objects.create(user=inspector).districts.set(districts)
        scope = queries.queue_scope(inspector)
        assert _pks(rows.queue_page(1, *scope)) == _orm(
            queries.queue_for(inspector), rows.QUEUE_FIELDS, 1, keys_first=True)
    root = get_user_model().objects.create_superuser("root", password="x")
    assert _pks(rows.queue_page(1, *queries.queue_scope(root))) == _orm(
        queries.queue_for(root), rows.QUEUE_FIELDS, 1, keys_first=True)
    # Shapes by the number of districts: one, two, the superuser's.
    assert counted_builds.count("_queue_query") <= 6


@pytest.mark.django_db
def test_a_queue_with_no_district_or_permission_is_empty_without_a_query(demo):
    nobody = UserFactory(staff=True, roles=["inspector"])
    InspectorProfile.objects.create(user=nobody)
    scope = queries.queue_scope(nobody)
    with CaptureQueriesContext(connection) as captured:
        page = rows.queue_page(1, *scope)
    assert page.rows == [] and not page.has_next and len(captured) == 0
    assert not queries.queue_for(nobody).exists()


def test_other_flow_versions_forget_every_compiled_shape():
    built = []
    read = ShapedRead(lambda shape, *values: built.append(shape))
    read._reads.put("shape", object())
    setting_changed.send(sender=None, setting="FLOW_VERSIONS", value=None, enter=True)
    assert read._reads.keys() == []
    with pytest.raises(ValueError):
        read.rows("shape", (1,), ())


@pytest.mark.django_db
def test_only_the_latest_shapes_are_kept(monkeypatch, demo):
    from cases.models import District

    monkeypatch.setattr(list_reads, "MAX_SHAPES", 2)
    read = ShapedRead(lambda shape, pk: District.objects.filter(pk=pk).values_list("number"))
    twelve = District.objects.get(number=12).pk
    for shape in ("a", "b", "c"):
        assert read.rows(shape, (32_000,), (twelve,)) == [(12,)]  # no district has it
    assert read._reads.keys() == [("b", 1), ("c", 1)]


def test_present_keeps_the_set_values_and_named_gives_them_back():
    names, values = list_reads.present(district=3, date_from=None, date_to="", q=0)
    assert names == ("district", "q") and values == (3, 0)  # 0 is a value, "" is not
    assert list_reads.named(names, values) == {"district": 3, "q": 0}
    with pytest.raises(ValueError):
        list_reads.named(("district",), (3, 4))
