"""One-statement writes the ORM has no call for."""

from __future__ import annotations

from django.db import connections, models, router


def insert_unless_duplicate(instance: models.Model, then: tuple[str, list] | None = None) -> bool:
    """INSERT the new `instance`, or nothing when a row already holds one of its unique
    values: True, and its pk set, when this call wrote the row.

    One statement (`ON CONFLICT … DO NOTHING RETURNING`) where get-then-create costs a
    SELECT and a savepoint around the INSERT, and a concurrent writer of the same value
    makes it a no-op instead of an IntegrityError the caller's transaction must survive.
    `pre_save` and `post_save` signals are not sent (as with QuerySet.bulk_create).

    `then`: (sql, params) of a write the same statement does when the row is written, as
    a CTE that may select the new row's pk from `inserted` (e.g. an INSERT … SELECT of an
    event naming it); it does nothing when the row was a duplicate.
    """
    model = type(instance)
    meta = model._meta
    using = router.db_for_write(model, instance=instance)
    connection = connections[using]
    fields = [f for f in meta.local_concrete_fields if not f.primary_key or
              getattr(instance, f.attname) is not None]
    quote = connection.ops.quote_name
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) "
           "ON CONFLICT DO NOTHING "
           f"RETURNING {quote(meta.pk.column)}")
    if then is not None:
        sql = (f"WITH inserted AS ({sql}), then_written AS ({then[0]}) "
               f"SELECT {quote(meta.pk.column)} FROM inserted")
        values = [*values, *then[1]]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = using
    return True
