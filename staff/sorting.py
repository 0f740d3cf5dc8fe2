"""Sortable list columns, the order kept in the URL (`?sort=registered`, `?sort=-registered`).

Only columns an index walks in either direction are sortable, so a page sorted by any of
them stops after its rows as the default order does, at a thousand cases or a million
(tests/staff/test_explain.py). A value that names no column falls back to the default:
an edited or stale link shows the list, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    fields: tuple[str, ...]  # ascending, ending in a unique column so pages never overlap
    newest_first: bool = False  # its first click sorts descending (dates: the latest on top)


@dataclass(frozen=True)
class Sorting:
    columns: tuple[Column, ...]
    default: str  # "key" or "-key"

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def parse(self, value: str | None) -> tuple[Column, bool]:
        """(column, descending) for a `sort` value, the default when it names none."""
        for candidate in (value or "", self.default):
            column = self.column(candidate.lstrip("-"))
            if column is not None:
                return column, candidate.startswith("-")
        raise ValueError(f"default sort {self.default!r} names no column")

    def order_by(self, value: str | None) -> list[str]:
        column, descending = self.parse(value)
        return [f"-{f}" if descending else f for f in column.fields]

    def state(self, query: QueryDict) -> SortState:
        column, descending = self.parse(query.get("sort"))
        return SortState(self, column, descending, query)


@dataclass
class SortState:
    """What a list's header shows: the column sorted, its direction, each header's link."""

    sorting: Sorting
    current: Column
    descending: bool
    query: QueryDict

    @property
    def value(self) -> str:
        return f"-{self.current.key}" if self.descending else self.current.key

    def link(self, key: str) -> str:
        """The list sorted by `key`: the other way round when it is sorted by it already;
        back to the first page, with every filter kept."""
        column = self.sorting.column(key)
        if column is None:
            raise ValueError(f"no sortable column {key!r}")
        if column == self.current:
            descending = not self.descending
        else:
            descending = column.newest_first
        query = self.query.copy()
        query.pop("page", None)
        query["sort"] = f"-{key}" if descending else key
        return "?" + query.urlencode()

    def direction(self, key: str) -> str | None:
        """aria-sort's value for the header of `key`: only the sorted column has one."""
        if key != self.current.key:
            return None
        return "descending" if self.descending else "ascending"


CASES = Sorting(
    columns=(
        Column("tracking", "شماره پیگیری", ("tracking_number",)),
        Column("registered", "ثبت", ("registered_at", "pk"), newest_first=True),
    ),
    default="-registered",
)
TASKS = Sorting(
    columns=(Column("created", "در صف از", ("created", "pk")),),
    default="created",
)
