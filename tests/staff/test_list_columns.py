"""The staff lists read the columns they show, not whole rows of every joined table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.clients import logged_in
from tests.support.transfer_driver import register_transfer

pytestmark = pytest.mark.django_db

# Columns no list shows: a person's password hash and national id, a task's data.
NEVER_READ = ('"accounts_user"."password"', '"accounts_user"."national_id"',
              '"viewflow_task"."data"', '"viewflow_process"."data"')


@pytest.mark.parametrize("username, path, shown", [
    ("supervisor", "/staff/search/", "منطقه"),
    ("supervisor", "/staff/search/?q=%D8%A7%D8%AD%D9%85%D8%AF%DB%8C", "مریم احمدی"),
    ("supervisor", "/staff/tasks/", "بازدید"),
    ("inspector", "/staff/queue/", "برداشتن کار"),
    ("supervisor", "/staff/search/?q=&format=csv", "09121112233"),
    ("supervisor", "/staff/tasks/?format=csv", "کوچه بهار"),
])
def test_a_list_reads_only_what_it_shows(demo, username, path, shown):
    case = register_transfer("citizen")
    if "queue" in path:  # the visit back in the queue, unassigned
        from viewflow.workflow.models import Task

        from staff import assignment
        from staff.flows import inspection_refs

        task = Task.objects.get(process__caseprocess__case=case, flow_task=inspection_refs()[0])
        assignment.unassign(task, task.owner)
    client = logged_in(username)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    assert shown in body.decode()
    # The lists' own queries: the signed-in person's row is Django's to read whole.
    lists = [q["sql"] for q in captured.captured_queries
             if 'FROM "cases_case"' in q["sql"] or 'FROM "viewflow_task"' in q["sql"]]
    assert lists
    assert [column for sql in lists for column in NEVER_READ if column in sql] == []
