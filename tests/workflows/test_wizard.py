"""The wizard's next step after a completion comes from the tasks the completion created:
no query for it; only when none of them is the person's is the process read."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.support.clients import logged_in
from tests.support.transfer_driver import CitizenDriver
from workflows.wizard import next_url, tasks_created

pytestmark = pytest.mark.django_db


def test_the_next_step_is_one_the_completion_created(demo):
    from cases.models import Case

    citizen = CitizenDriver(logged_in("citizen"))
    apartment = citizen.step(citizen.open_services(), "گام بعدی", {"تأیید": True})
    case = Case.objects.get()
    user = case.citizen
    step = Task.objects.filter(process=case.process, owner=user, status=STATUS.ASSIGNED).get()
    with CaptureQueriesContext(connection) as captured:
        url = next_url(case, user, [step])
    assert url == step.reverse("execute") and len(captured) == 0
    assert apartment.wsgi_request.path == url
    # None of them the person's: the process is read, as before.
    with CaptureQueriesContext(connection) as captured:
        assert next_url(case, user, []) == url
    assert len(captured) == 1


def test_tasks_created_collects_only_inside_its_block(demo):
    from cases.models import Case

    citizen = CitizenDriver(logged_in("citizen"))
    citizen.step(citizen.open_services(), "گام بعدی", {"تأیید": True})
    process = Case.objects.get().process
    with tasks_created() as created:
        made = Task.objects.create(process=process, flow_task=process.task_set.first().flow_task,
                                   status=STATUS.NEW)
    Task.objects.create(process=process, flow_task=made.flow_task, status=STATUS.NEW)
    assert created == [made]
