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
