"""The staff lists' querysets: which tasks they hold (their plans: test_explain.py)."""

import pytest
from django.contrib.auth import get_user_model
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from staff import queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(city):
    city(120, open_tasks=60)
    return get_user_model().objects.create_superuser("root", password="x")


@pytest.fixture
def unassigned(admin):
    return list(Task.objects.filter(pk__in=queries.queue_for(admin).values("pk")).order_by("pk"))


def inspector_of(district: int):
    """A new inspector who covers `district` alone."""
    from cases.models import InspectorProfile
    from tests.support.factories import UserFactory

    user = UserFactory(staff=True, roles=["inspector"])
    InspectorProfile.objects.create(user=user).districts.set([district])
    return user


def queued(user) -> set[int]:
    return set(queries.queue_for(user).values_list("pk", flat=True))


def test_a_task_without_a_permission_is_in_no_staff_list(admin, unassigned):
    """A task nobody may take (no permission, NULL or empty) is neither queued nor listed
    as open work, whoever asks; the others are."""
    assert len(unassigned) >= 3
    no_permission, empty, kept = unassigned[:3]
    Task.objects.filter(pk=no_permission.pk).update(owner_permission=None)
    Task.objects.filter(pk=empty.pk).update(owner_permission="")
    for listed in (queries.queue_for(admin), queries.open_tasks(),
                   queries.open_tasks(flow="transfer")):
        pks = set(listed.values_list("pk", flat=True))
        assert kept.pk in pks
        assert not pks & {no_permission.pk, empty.pk}


def test_the_queue_holds_only_new_unowned_tasks_of_the_inspectors_districts(admin, unassigned):
    taken, owned = unassigned[:2]
    Task.objects.filter(pk=taken.pk).update(status=STATUS.ASSIGNED)
    Task.objects.filter(pk=owned.pk).update(owner=admin)
    assert not queued(admin) & {taken.pk, owned.pk}
    assert {t.pk for t in unassigned[2:]} <= queued(admin)
    districts_of = dict(Task.objects.filter(pk__in=queued(admin)).values_list(
        "pk", f"{queries.CASE_PATH}__property__district_id"))
    assert len(set(districts_of.values())) > 1
    inspector = get_user_model().objects.filter(
        inspector_profile__districts__in=set(districts_of.values())).order_by("pk").first()
    covered = set(inspector.inspector_profile.districts.values_list("number", flat=True))
    assert queued(inspector) == {pk for pk, district in districts_of.items() if district in covered}


def test_a_visit_names_its_district_for_the_queue(demo):
    """The flow writes the visit's district as viewflow's permission object, the column the
    inspectors' queue is cut by; an unassigned visit is queued for its district's
    inspectors only."""
    from cases.models import District
    from tests.support.transfer_driver import register_transfer

    case = register_transfer("citizen")
    visit = Task.objects.get(process__caseprocess__case=case, status__in=["NEW", "ASSIGNED"],
                             owner_permission="cases.inspect_case")
    district = case.property.district_id
    assert visit.owner_permission_obj == District.objects.get(pk=district)
    Task.objects.filter(pk=visit.pk).update(owner=None, status=STATUS.NEW)
    covering = inspector_of(district)
    elsewhere = inspector_of(District.objects.exclude(pk=district).first().pk)
    assert visit.pk in queued(covering)
    assert visit.pk not in queued(elsewhere)


def test_a_page_cut_by_its_keys_first_is_the_plain_cut(admin):
    """The queue picks a page's keys from the task table alone, then joins those rows: the
    same rows, order and "has next" as cutting the joined list, page after page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tasks = queries.queue_for(admin)
    rows = tasks.values_list("pk", "created", f"{queries.CASE_PATH}__tracking_number")
    total = tasks.count()
    assert total > 7
    for number in range(1, total // 3 + 2):
        plain = queries.page_of(rows, number, size=3)
        with CaptureQueriesContext(connection) as captured:
            keyed = queries.page_of(rows, number, size=3, keys_from=tasks)
        assert (keyed.rows, keyed.has_next) == (plain.rows, plain.has_next), number
        assert len(captured) == 1
    assert keyed.rows and not keyed.has_next
    assert [row[1] for row in plain.rows] == sorted(row[1] for row in plain.rows)


def test_the_upgrade_names_the_district_of_every_open_visit(admin, unassigned):
    """workflows 0007 fills the district of the visits open before the flow wrote it, as
    the flow would have: each task's case's property's district, and nothing on others."""
    import importlib

    from django.apps import apps

    upgrade = importlib.import_module("workflows.migrations.0007_visit_queue_by_district")
    visits = Task.objects.filter(owner_permission="cases.inspect_case",
                                 status__in=[STATUS.NEW, STATUS.ASSIGNED])
    expected = dict(visits.values_list(
        "pk", f"{queries.CASE_PATH}__property__district_id"))
    others = set(Task.objects.exclude(pk__in=expected).values_list(
        "pk", "owner_permission_obj_pk"))
    assert len(expected) > 10
    waiting = unassigned[0]
    inspector = inspector_of(expected[waiting.pk])
    assert waiting.pk in queued(inspector)
    visits.update(owner_permission_content_type=None, owner_permission_obj_pk=None)
    assert waiting.pk not in queued(inspector)

    upgrade.fill(apps, None)

    assert dict(visits.values_list("pk", "owner_permission_obj_pk")) == {
        pk: str(district) for pk, district in expected.items()}
    assert set(visits.values_list("owner_permission_content_type__model", flat=True)) == {
        "district"}
    assert set(Task.objects.exclude(pk__in=expected).values_list(
        "pk", "owner_permission_obj_pk")) == others
    assert waiting.pk in queued(inspector)
