"""A hot read's SQL built and compiled once per process, run with each call's values.

Django builds and compiles a queryset's SQL on every call. For the few reads a citizen's
page makes on every request (a district's free hours, ...) that cost ~1-3 ms of CPU, far
more than running them. A `PreparedRead` builds its queryset once with stand-in values,
compiles it, and then runs that SQL with the call's values put where the stand-ins were.
The rows are the queryset's `values_list` rows, converted as Django converts them; a
`PreparedInstances` returns model instances instead, its `select_related` ones filled in,
as Django's ModelIterable builds them; a `PreparedStatement` keeps a statement put
together from several querysets' SQL (a union). The SQL is the ORM's own, so the read
stays exactly what the queryset says. Where a backend
turns a stand-in into something else (SQLite passes dates as text), the read is left to
the ORM on every call, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model
from django.db.models.query import get_related_populators


class _StandIns:
    """`stand_ins` are values of the same types that no real call passes (e.g. negative
    ids, dates of 1901): they mark where each value goes in the compiled parameters."""

    def __init__(self, build: Callable[..., Any], *stand_ins: Any) -> None:
        self._build, self._stand_ins = build, stand_ins
        self._compiled: tuple | bool | None = None  # False: left to the ORM

    def _slots(self, params) -> list[tuple[int | None, type | None]] | None:
        """Each parameter's stand-in (or None); None when one stand-in is nowhere."""
        slots = [self._slot(param) for param in params]
        if {slot for slot, _ in slots if slot is not None} != set(range(len(self._stand_ins))):
            return None
        return slots

    def _slot(self, param: Any) -> tuple[int | None, type | None]:
        """Which stand-in `param` is, and the adapter type the backend wrapped it in (the
        PostgreSQL backend passes a small integer as psycopg's Int2)."""
        for i, stand_in in enumerate(self._stand_ins):
            if isinstance(param, type(stand_in)) and param == stand_in:
                return i, None if type(param) is type(stand_in) else type(param)
        return None, None

    @staticmethod
    def _put(params, slots, values: tuple) -> list:
        return [param if slot is None else values[slot] if wrap is None else wrap(values[slot])
                for param, (slot, wrap) in zip(params, slots)]

    def _prepared(self) -> bool:
        """Compiled (once), or False: the read is left to the ORM. A stand-in Django
        finds out of its field's range (a negative key of a positive field) makes it
        decide the read is empty without SQL: left to the ORM too, which decides it for
        each call's own value."""
        if self._compiled is None:
            try:
                self._compiled = self._compile() or False
            except EmptyResultSet:
                self._compiled = False
        return self._compiled is not False


class PreparedRead(_StandIns):
    """`build(*values)` → a values_list queryset; `rows(*values)` runs it with `values`."""

    def _compile(self) -> tuple | None:
        queryset = self._build(*self._stand_ins)
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        slots = self._slots(params)
        if slots is None:
            return None
        fields = [column[0] for column in compiler.select[:compiler.col_count]]
        return queryset.db, sql, params, slots, compiler, compiler.get_converters(fields)

    def rows(self, *values: Any) -> list[tuple]:
        if not self._prepared():
            return list(self._build(*values))
        return self._run(values)

    def _run(self, values: tuple) -> list[tuple]:
        alias, sql, params, slots, compiler, converters = self._compiled
        actual = self._put(params, slots, values)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, actual)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows


class PreparedInstances(PreparedRead):
    """`build(*values)` → a model queryset (select_related and annotations allowed);
    `objects(*values)` → its instances, built from the rows as Django's ModelIterable does
    (annotations set as attributes).

    Compiling a task's read with its process, case, citizen and property costs ~2 ms of
    CPU, more than the rest of a step page's reads together."""

    def _compile(self) -> tuple | None:
        compiled = super()._compile()
        if compiled is None:
            return None
        compiler = compiled[4]
        select, klass_info = compiler.select, compiler.klass_info
        self._annotations = list(compiler.annotation_col_map.items())
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self._model = klass_info["model"], start, end, [
            column[0].target.attname for column in select[start:end]]
        self._populators = get_related_populators(klass_info, select, compiled[0])
        return compiled

    def objects(self, *values: Any) -> list[Model]:
        if not self._prepared():
            return list(self._build(*values))
        model, start, end, attnames = self._model
        alias = self._compiled[0]
        made = []
        for row in self._run(values):
            instance = model.from_db(alias, attnames, row[start:end])
            for populator in self._populators:
                populator.populate(row, instance)
            for name, position in self._annotations:
                setattr(instance, name, row[position])
            made.append(instance)
        return made

    def first(self, *values: Any) -> Model | None:
        """The first instance, or None (the queryset is sliced to one row)."""
        return next(iter(self.objects(*values)), None)


class PreparedStatement(_StandIns):
    """`build(*values)` → (sql, params) of a statement put together from querysets' SQL (a
    union of index ranges, each cut at its own LIMIT) that no one queryset compiles;
    `statement(*values)` gives it with `values` in, built once per process where the
    stand-ins are found and on every call where they are not (SQLite's dates). `build`
    puts each value in as it is given: a value derived from one would not be found."""

    def _compile(self) -> tuple | None:
        sql, params = self._build(*self._stand_ins)
        slots = self._slots(params)
        return None if slots is None else (sql, params, slots)

    def statement(self, *values: Any) -> tuple[str, list]:
        if not self._prepared():
            return self._build(*values)
        sql, params, slots = self._compiled
        return sql, self._put(params, slots, values)
