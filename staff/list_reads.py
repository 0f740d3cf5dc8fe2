"""The staff lists' pages read with their SQL compiled once per shape.

A list's SQL depends on which filters are set, on the order and on the page, not on the
filters' values, which are parameters. Building and compiling a page's queryset cost
about as much as running it (~1 ms of the supervisor's task list, in-process): each
shape's SQL is compiled once per process by a PreparedRead (cases/prepared.py: stand-ins
mark where the request's values go) and run with the request's values. A shape whose
stand-ins the backend turns into something else is left to the ORM, as PreparedRead does.

The shapes a list meets are few (a flow, a step and a status from fixed choices, whether
a district or a date is set, a sort, the first pages); the least recently used beyond
MAX_SHAPES is dropped.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any

from django.core.signals import setting_changed
from django.db.models import QuerySet
from django.dispatch import receiver

from cases.prepared import PreparedRead
from staff.lru import LockedLRU

MAX_SHAPES = 128
_all: weakref.WeakSet[ShapedRead] = weakref.WeakSet()


class ShapedRead:
    """`build(shape, *values)` → a values_list queryset; `rows(shape, stand_ins, values)`
    runs the shape's compiled SQL with `values` where `stand_ins` stood."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self._build = build
        self._reads: LockedLRU[PreparedRead] = LockedLRU(MAX_SHAPES)
        _all.add(self)

    def forget(self) -> None:
        self._reads.clear()

    def rows(self, shape: Hashable, stand_ins: tuple, values: tuple) -> list[tuple]:
        if len(stand_ins) != len(values):
            raise ValueError("one stand-in per value")
        key = (shape, len(stand_ins))
        read = self._reads.get(key)
        if read is None:
            read = PreparedRead(lambda *given: self._build(shape, *given), *stand_ins)
            self._reads.put(key, read)
        return read.rows(*values)


@receiver(setting_changed)
def _reload(*, setting: str, **kwargs) -> None:
    """Other flow versions loaded (tests do): the lists' SQL names their nodes."""
    if setting in {"FLOW_VERSIONS", "INSTALLED_APPS"}:
        for read in list(_all):
            read.forget()


def present(**values: Any) -> tuple[tuple[str, ...], tuple]:
    """The names of the values that are set (the shape's part) and those values."""
    names = tuple(name for name, value in values.items() if value not in (None, ""))
    return names, tuple(values[name] for name in names)


def named(names: tuple[str, ...], values: tuple) -> dict[str, Any]:
    """`present`'s inverse: the set values by name again, as a shape's builder takes them."""
    return dict(zip(names, values, strict=True))
