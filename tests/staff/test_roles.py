"""The role matrix: every staff URL of the URLconf, for every role."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.models import Case, CaseEvent, CaseStatus
from tests.support.clients import logged_in
from tests.support.urlconf_walk import leaf_patterns
from workflows.models import CaseMigration

pytestmark = pytest.mark.django_db

# route → may the inspector / the supervisor use it. A new staff URL fails
# test_every_staff_url_is_in_the_matrix until it is added here.
MATRIX = {
    "staff/visits/": {"inspector": True, "supervisor": False},
    "staff/queue/": {"inspector": True, "supervisor": False},
    "staff/tasks/<int:task_id>/claim/": {"inspector": True, "supervisor": False},
    "staff/tasks/<int:task_id>/unassign/": {"inspector": True, "supervisor": False},
    "staff/search/": {"inspector": True, "supervisor": True},
    "staff/cases/<int:case_id>/": {"inspector": True, "supervisor": True},
    "staff/cases/<int:case_id>/cancel/": {"inspector": False, "supervisor": True},
    "staff/tasks/": {"inspector": False, "supervisor": True},
    "staff/dashboard/<slug:flow>/": {"inspector": False, "supervisor": True},
    "staff/dashboard/<slug:flow>/refresh/": {"inspector": False, "supervisor": True},
    # The flow's BPMN, which the case page (inspectors' too) draws the case's path on.
    "staff/flows/<slug:flow>.bpmn": {"inspector": True, "supervisor": True},
    "staff/flows/<slug:flow>/migrations/": {"inspector": False, "supervisor": True},
    "staff/flows/<slug:flow>/migrations/run/": {"inspector": False, "supervisor": True},
    "staff/flows/<slug:flow>/migrations/<int:migration_id>/": {"inspector": False,
                                                               "supervisor": True},
    "staff/flows/<slug:flow>/migrations/<int:migration_id>/undo/": {"inspector": False,
                                                                    "supervisor": True},
    "staff/incidents/": {"inspector": False, "supervisor": True},
    "staff/incidents/<int:incident_id>/retry/": {"inspector": False, "supervisor": True},
}


def staff_leaves():
    return [leaf for leaf in leaf_patterns() if leaf.route.startswith("staff/")]


def urls(city_case: Case, task: Task, migration: CaseMigration) -> dict[str, str]:
    values = {"case_id": city_case.pk, "task_id": task.pk, "flow": "transfer", "incident_id": 1,
              "migration_id": migration.pk}
    return {leaf.route: leaf.build_path(**{p: values[p] for p in leaf.parameters})
            for leaf in staff_leaves()}


@pytest.fixture
def world(city):
    city(60, open_tasks=20)
    case = Case.objects.filter(status=CaseStatus.REGISTERED).order_by("pk").first()
    task = Task.objects.filter(process__caseprocess__case=case).exclude(status=STATUS.DONE).get()
    # A past migration to a version no longer loaded: its page still opens for supervisors.
    migration = CaseMigration.objects.create(flow_label="transfer", from_version=1, to_version=2)
    return case, task, migration


def test_every_staff_url_is_in_the_matrix():
    assert {leaf.route for leaf in staff_leaves()} == set(MATRIX)


def test_anonymous_visitors_are_sent_to_log_in(world):
    for route, url in urls(*world).items():
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], route


def test_a_citizen_gets_no_staff_page(world):
    client = logged_in("citizen")
    for route, url in urls(*world).items():
        assert client.get(url).status_code == 403, route
        assert client.post(url, {}).status_code in (403, 405), route


@pytest.mark.parametrize("role", ["inspector", "supervisor"])
def test_each_role_gets_its_pages_and_only_those(world, role):
    client = logged_in(role)
    before = list(Task.objects.order_by("pk").values_list("pk", "owner_id", "status"))
    for route, url in urls(*world).items():
        allowed = MATRIX[route][role]
        response = client.get(url)
        if allowed:
            assert response.status_code in (200, 405), (route, response.status_code)
        else:
            assert response.status_code == 403, (route, response.status_code)
            # Refused before anything is read or changed, whatever the body.
            assert client.post(url, {"task": [world[1].pk], "reason": "x",
                                     "reason_code": "other", "details": "x"}).status_code == 403
    assert list(Task.objects.order_by("pk").values_list("pk", "owner_id", "status")) == before


def test_an_inspector_sees_only_their_own_and_their_districts_tasks(world):
    User = get_user_model()
    inspector = User.objects.get(username="inspector")  # districts 12 and 3
    mine = set(inspector.inspector_profile.districts.values_list("pk", flat=True))
    queue = logged_in("inspector").get(reverse("staff:queue"))
    rows = queue.context["page"].rows
    assert rows and {row["district_id"] for row in rows} <= mine
    shown = {row["pk"] for row in rows}
    elsewhere = Task.objects.filter(status=STATUS.NEW, owner__isnull=True,
                                    owner_permission="cases.inspect_case").exclude(
        process__caseprocess__case__property__district__in=mine).first()
    assert elsewhere is not None and elsewhere.pk not in shown
    # Taking it by its id is refused and changes nothing.
    response = logged_in("inspector").post(reverse("staff:claim", args=[elsewhere.pk]))
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.owner_id is None
    # Others' visits never show in «بازدیدهای من».
    others = Task.objects.filter(status=STATUS.ASSIGNED).exclude(owner=inspector)
    visits = logged_in("inspector").get(reverse("portal:inspector_inbox")).content.decode()
    assert others.exists()
    for task in others[:20]:
        assert task.reverse("execute") not in visits


def test_an_inspector_cannot_reassign(world):
    case, task, _ = world
    owner = task.owner_id
    response = logged_in("inspector").post(reverse("staff:tasks"), {
        "task": [task.pk], "to_user": get_user_model().objects.get(username="inspector").pk,
        "reason": "بیماری"})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.owner_id == owner
    assert not CaseEvent.objects.filter(name="task_reassigned").exists()
