"""A new task and its link to the task before it are one INSERT (workflows/task_links.py):
the links are those viewflow would have written, and no statement writes a link alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task

from cases.models import Case
from tests.support.clients import logged_in
from tests.support.transfer_driver import A, CitizenDriver

pytestmark = pytest.mark.django_db


def test_every_task_is_written_with_its_link_to_the_task_before(demo, postgres):
    citizen = CitizenDriver(logged_in("citizen"))
    with CaptureQueriesContext(connection) as captured:
        citizen.until_appointment(A)  # the start, steps, and the gateways between them
    statements = [q["sql"] for q in captured.captured_queries]
    assert not [s for s in statements if s.startswith('INSERT INTO "viewflow_task_previous"')]
    assert [s for s in statements if s.startswith("WITH new_task AS (INSERT")]
    tasks = list(Task.objects.filter(process=Case.objects.get().process).order_by("pk"))
    assert len(tasks) > 4
    start, *later = tasks
    assert list(start.previous.all()) == []
    for task in later:
        # One link each, to the task whose completion made it: written before it.
        (before,) = task.previous.all()
        assert before.pk < task.pk and before.finished is not None, task.flow_task
