"""One-statement writes the ORM has no call for."""

from __future__ import annotations

from django.db import connections, models, router


def insert_unless_duplicate(instance: models.Model) -> bool:
    """INSERT the new `instance`, or nothing when a row already holds one of its unique
    values: True, and its pk set, when this call wrote the row.

    One statement (`ON CONFLICT … DO NOTHING RETURNING`) where get-then-create costs a
    SELECT and a savepoint around the INSERT, and a concurrent writer of the same value
    makes it a no-op instead of an IntegrityError the caller's transaction must survive.
    `pre_save` and `post_save` signals are not sent (as with QuerySet.bulk_create).
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
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = using
    return True
