import pytest
from django.urls import reverse

from tests.support.clients import logged_in

pytestmark = pytest.mark.django_db


def test_generated_city_has_processes_tasks_and_history(city):
    counts = city(200)
    assert counts["cases"] == 200 and counts["processes"] == 200
    assert counts["open_tasks"] == 20
    assert counts["events"] >= 200
    from viewflow.workflow.models import Task

    assert Task.objects.filter(status__in=["NEW", "ASSIGNED"]).count() == 20


@pytest.mark.parametrize("username,name,args", [
    ("supervisor", "staff:tasks", []),
    ("supervisor", "staff:search", []),
    ("supervisor", "staff:dashboard", ["transfer"]),
    ("supervisor", "staff:dashboard", ["inquiry"]),
    ("inspector", "staff:queue", []),
    ("inspector", "portal:inspector_inbox", []),
])
def test_staff_pages_render(city, username, name, args):
    city(100)
    response = logged_in(username).get(reverse(name, args=args))
    assert response.status_code == 200, response.content.decode()[:2000]
