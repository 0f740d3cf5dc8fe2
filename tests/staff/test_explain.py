"""At 100,000 cases, no staff list query reads the case, process or task tables whole."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from bench.generate import Plan, generate
from staff import open_tasks, queries, sorting
from staff.flows import inspection_refs
from workflows.views.inbox import visit_tasks

pytestmark = pytest.mark.django_db
BIG_TABLES = ("cases_case", "viewflow_process", "viewflow_task", "workflows_caseprocess",
              "cases_caseevent")
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")


def seq_scans(queryset, tables=BIG_TABLES) -> list[str]:
    plan = queryset.explain()
    return [t for t in SEQ_SCAN.findall(plan) if t in tables]


@pytest.fixture
def hundred_thousand(postgres, demo):
    generate(Plan(cases=100_000, open_tasks=10_000, full_history=10_000, inspectors=20))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def test_no_staff_list_query_scans_a_big_table(hundred_thousand):
    User = get_user_model()
    inspector = User.objects.get(username="gen-inspector-0")
    today = timezone.localdate()
    lists = {
        "visits": visit_tasks(inspector).values_list("pk", "visit_at", "created"),
        "queue": queries.queue_for(inspector)[:26],
        "tasks": queries.open_tasks()[:26],
        "tasks by flow and node": queries.open_tasks(flow="transfer", node=inspection_refs()[0])[:26],
        "tasks by district": queries.open_tasks(district=3)[:26],
        "search": queries.search_cases()[:26],
        "search by tracking": queries.search_cases(q="1001000027")[:26],
        "search by phone": queries.search_cases(q="09120000123")[:26],
        "search by code": queries.search_cases(q="3-1003-1-1-0-0-1")[:26],
        "search by status and dates": queries.search_cases(
            status="cancelled", date_from=today - datetime.timedelta(days=30), date_to=today)[:26],
        "search by node": queries.search_cases(node=inspection_refs()[0])[:26],
        "search by district": queries.search_cases(district=5)[:26],
        **{f"search sorted by {key}": queries.search_cases(
            order_by=sorting.CASES.order_by(key))[:26]
           for key in ("tracking", "-tracking", "registered", "-registered")},
        **{f"search by status sorted by {key}": queries.search_cases(
            status="issued", order_by=sorting.CASES.order_by(key))[:26]
           for key in ("tracking", "registered")},
        "tasks newest first": queries.open_tasks(order_by=sorting.TASKS.order_by("-created"))[:26],
        "waiting per node": open_tasks.open_tasks_of("transfer").values("flow_task").annotate(
            n=Count("pk")),
        "open tasks by node and owner (the summary's)": open_tasks.grouped_counts(
            "transfer", today),
    }
    # The search's look-ups of people (staff.queries._users), a citizen per ten cases.
    people = {
        "people by mobile": User.objects.filter(mobile="09120000123").values("pk")[:200],
        "people by name": User.objects.filter(first_name="علی", last_name="محمدی").values("pk"),
        "people by last name": User.objects.filter(last_name="محمدی").values("pk")[:200],
        "people by first name": User.objects.filter(first_name="علی").values("pk")[:200],
    }
    problems = {name: scans for name, qs in lists.items() if (scans := seq_scans(qs))}
    problems |= {name: scans for name, qs in people.items()
                 if (scans := seq_scans(qs, ("accounts_user",)))}
    assert not problems, problems
    visits = Client()
    visits.force_login(inspector)
    assert visits.get("/staff/visits/").status_code == 200  # the inbox itself runs here too
