"""The dashboard's aggregates over open tasks can be answered from the covering partial
index of open tasks (staff 0004) — if the open statuses in the code and in the index's
predicate drift apart, PostgreSQL silently stops using it and the dashboard reads the
million-row table again."""

import datetime
import importlib

import pytest
from django.db import connection

from staff import open_tasks
from staff.queries import OPEN_TASK_STATUSES

pytestmark = pytest.mark.django_db
INDEX = "viewflow_task_open_cover"


def test_the_index_exists_with_its_columns():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "viewflow_task")
    assert constraints[INDEX]["columns"][:3] == ["flow_task", "owner_id", "created"]


def test_the_open_statuses_are_the_index_predicate():
    migration = importlib.import_module("staff.migrations.0004_open_task_cover_index")
    assert migration.OPEN == "status IN ({})".format(
        ", ".join(f"'{status}'" for status in OPEN_TASK_STATUSES))


@pytest.mark.parametrize("name", ["waiting per node", "by node and owner"])
def test_postgresql_can_answer_from_the_index_alone(postgres, name):
    queries = {
        # As the dashboard groups them: no order (Task's default, newest first, would add a
        # sort whose cost, on the statistics earlier tests left, can pick another index).
        "waiting per node": open_tasks.open_tasks_of("transfer").values("flow_task").order_by(),
        "by node and owner": open_tasks.grouped_counts("transfer", datetime.date.today()),
    }
    with connection.cursor() as cursor:
        # Tiny test tables favour other plans; forbid those to see whether this one is possible.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        # And the table's other indexes out of the way, inside the test's transaction (its
        # rollback puts them back): on the statistics an earlier test's generated city
        # left (ANALYZE's counts outlive a rollback), a scan of the status index could
        # cost the same as this one. Whether this one can answer is the question.
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'viewflow_task' "
                       "AND indexname NOT IN (%s, 'viewflow_task_pkey')", [INDEX])
        for (other,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{other}"')
    plan = queries[name].explain()
    assert f"using {INDEX}" in plan, plan
