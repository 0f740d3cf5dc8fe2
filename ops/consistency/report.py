"""What a consistency run found: how much it looked at, and every mismatch."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Share:
    """The slice of files whose bytes are re-hashed this run: rows with pk % of == part.
    Existence and sizes are checked for all files every run; bytes cost the most."""

    part: int = 0
    of: int = 1

    def holds(self, pk: int) -> bool:
        return pk % self.of == self.part


@dataclass
class Report:
    checked: Counter = field(default_factory=Counter)  # what → how many were looked at
    mismatches: list[tuple[str, str]] = field(default_factory=list)  # (what, message)
    seconds: dict[str, float] = field(default_factory=dict)

    def count(self, what: str, number: int = 1) -> None:
        self.checked[what] += number

    def mismatch(self, what: str, message: str) -> None:
        self.mismatches.append((what, message))

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def by_kind(self) -> Counter:
        return Counter(what for what, _ in self.mismatches)
