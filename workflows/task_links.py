"""viewflow links each task to the one before it (`task.previous`, a row per edge):
`task.save()` then `task.previous.add(before)`, two statements per task made. Here a new
task and its links are written by one statement, an INSERT whose CTE also inserts the
links (CaseTask._do_insert): a step's completion that makes three tasks costs three
statements instead of four to six."""

from __future__ import annotations

from django.db import connections
from django.db.models import sql
from viewflow.workflow.models import Task

# Where a new task keeps the ids of the tasks before it until its INSERT.
PENDING_ATTRIBUTE = "_previous_task_ids"


def save_linked(task: Task, previous: Task) -> None:
    """`task.save(); task.previous.add(previous)` for a task not yet written, in one
    statement. A task already in the database gets its link as viewflow adds it."""
    if task.pk is not None:
        task.save()
        task.previous.add(previous)
        return
    link_on_insert(task, previous)
    task.save()


def link_on_insert(task: Task, previous: Task) -> None:
    """Have the task's coming INSERT (a `save()` inside viewflow) also write its link."""
    task.__dict__[PENDING_ATTRIBUTE] = [previous.pk]


def insert_with_links(task: Task, using: str, fields, returning_fields, previous: list[int]):
    """The INSERT Django would run for `task`, its links inserted by the same statement;
    returns what the plain INSERT returns (the rows of `returning_fields`)."""
    model = type(task)
    connection = connections[using]
    through = Task.previous.through
    if connection.vendor != "postgresql":
        # The embedded SQLite of `make run`: the INSERT, then the links.
        rows = model._base_manager._insert([task], fields=fields, using=using,
                                           returning_fields=returning_fields)
        through.objects.using(using).bulk_create(
            [through(from_task_id=rows[0][0], to_task_id=before) for before in previous])
        return rows
    query = sql.InsertQuery(model)
    query.insert_values(fields, [task], raw=False)
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = returning_fields
    [(insert_sql, params)] = compiler.as_sql()
    quote = connection.ops.quote_name
    through = through._meta
    pk = quote(model._meta.pk.column)
    # viewflow's field names: a link goes from the later task to the one before it.
    later, before = (quote(through.get_field(name).column) for name in ("from_task", "to_task"))
    statement = (
        f"WITH new_task AS ({insert_sql}), "
        f"links AS (INSERT INTO {quote(through.db_table)} ({later}, {before}) "
        f"SELECT new_task.{pk}, before.id FROM new_task, UNNEST(%s::bigint[]) AS before(id)) "
        "SELECT * FROM new_task")
    with connection.cursor() as cursor:
        cursor.execute(statement, (*params, list(previous)))
        return cursor.fetchall()
