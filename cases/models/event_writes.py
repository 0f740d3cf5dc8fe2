"""A case's change and the timeline events it makes, written by one statement.

A transition (register, approve, settle, issue, archive, cancel) is an UPDATE of the case
and an INSERT of its event: two round trips, in every step that moves a case. On
PostgreSQL both go in one statement, the UPDATE in a CTE whose returned row the INSERT
selects from, so a stale UPDATE (no row matched) writes no event either.
"""

from __future__ import annotations

from django.db import connections, models
from django.db.models import sql


class EventsWrittenWithUpdate(models.Model):
    """Sits after django-fsm's ConcurrentTransitionMixin, so the UPDATE it is handed is
    already narrowed to the state the case was read in."""

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update,
                   *args, **kwargs):
        pending = self.__dict__.get("_pending_events")
        connection = connections[using]
        if not pending or not values or connection.vendor != "postgresql":
            return super()._do_update(base_qs, using, pk_val, values, update_fields,
                                      forced_update, *args, **kwargs)
        query = base_qs.filter(pk=pk_val).query.chain(sql.UpdateQuery)
        query.add_update_fields(values)
        query.annotations = {}
        update_sql, update_params = query.get_compiler(using).as_sql()
        insert_sql, insert_params = _events_insert(pending, connection, self._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"WITH changed AS ({update_sql} RETURNING "
                           f"{connection.ops.quote_name(self._meta.pk.column)}) {insert_sql}",
                           (*update_params, *insert_params))
            ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return False
        for event, pk in zip(pending, ids, strict=True):
            event.pk = pk
            event._state.adding = False
            event._state.db = using
        self.__dict__["_pending_events"] = []  # written: Case.save has none left to insert
        return True


def _events_insert(events: list, connection, case_key: str) -> tuple[str, list]:
    """INSERT … SELECT of the events' rows for the case the CTE `changed` returned."""
    meta = events[0]._meta
    quote = connection.ops.quote_name
    fields = [f for f in meta.local_concrete_fields if not f.primary_key and f.name != "case"]
    rows, params = [], []
    for event in events:
        rows.append("(" + ", ".join(f"%s::{f.db_type(connection)}" for f in fields) + ")")
        params.extend(f.get_db_prep_save(f.pre_save(event, True), connection) for f in fields)
    columns = ", ".join(quote(f.column) for f in fields)
    names = ", ".join(f"e{n}" for n in range(len(fields)))
    return (
        f"INSERT INTO {quote(meta.db_table)} ({quote(meta.get_field('case').column)}, {columns}) "
        f"SELECT changed.{quote(case_key)}, {names} FROM changed, "
        f"(VALUES {', '.join(rows)}) AS e({names}) RETURNING {quote(meta.pk.column)}",
        params,
    )
