"""Every staff page costs the same number of SQL queries at 10 and at 1,000 cases."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from viewflow.workflow.models import Task

from cases.models import Case

pytestmark = pytest.mark.django_db

PAGES = [
    ("gen-inspector-0", "/staff/visits/"),
    ("gen-inspector-0", "/staff/queue/"),
    ("gen-inspector-0", "/staff/search/"),
    ("supervisor", "/staff/search/?q=%D9%86%D9%85%D9%88%D9%86%D9%87&status=archived"),
    ("supervisor", "/staff/search/?node=flows%2Ftransfer_flow.TransferFlow.inspection"),
    ("supervisor", "/staff/tasks/"),
    ("supervisor", "/staff/tasks/?flow=transfer&district={district}"),
    ("supervisor", "/staff/dashboard/transfer/"),
    ("supervisor", "/staff/dashboard/inquiry/"),
    ("supervisor", "/staff/cases/{first_case}/"),
]


def query_counts() -> dict[str, int]:
    first_case = Case.objects.order_by("pk").first().pk
    # A district with an open transfer task, so the filtered list has rows at both sizes.
    district = Task.objects.filter(status__in=["NEW", "ASSIGNED"], flow_task_type="HUMAN",
                                   process__flow_class="flows/transfer_flow.TransferFlow").values_list(
        "process__caseprocess__case__property__district_id", flat=True).order_by("pk").first()
    # Each round starts with the cached choices (staff.choices) cold, as the first.
    cache.clear()
    counts = {}
    for username, path in PAGES:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        url = path.format(first_case=first_case, district=district)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_query_count_does_not_grow_with_the_data(city):
    from staff.summary import refresh

    city(10, open_tasks=5)
    refresh()
    small = query_counts()
    city(990, open_tasks=100)
    refresh()
    large = query_counts()
    assert small == large
