"""What the service asks of a property registry, independent of who answers.

The database-backed default lives with the domain (`cases.property_registry`); a city that
runs its own registry service plugs in a client implementing this interface.
"""

from __future__ import annotations

import abc
import datetime
import enum
from dataclasses import dataclass


@dataclass(frozen=True)
class PropertyInfo:
    renovation_code: str
    district: int
    address: str
    registry_plate: str
    area_m2: str
    floor: str
    unit: str
    owner_names: tuple[str, ...]


@dataclass(frozen=True)
class EarlierCertificate:
    request_number: str
    certificate_number: str
    kind: str
    issued_on: datetime.date


@dataclass(frozen=True)
class Debt:
    # The registry's own identifier of the debt, unique among the property's debts: the
    # service keeps its copy of the debt (what a payment settles) under it.
    id: str
    title: str
    amount_rials: int


class PairingProblem(enum.Enum):
    UNKNOWN_CODE = "unknown_code"
    UNKNOWN_NUMBER = "unknown_number"
    NUMBER_OF_ANOTHER_PROPERTY = "number_of_another_property"


@dataclass(frozen=True)
class PairingCheck:
    property: PropertyInfo | None
    problem: PairingProblem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


class RegistryUnavailable(Exception):
    """The registry gave no answer: unreachable, too slow, or it answered with an error.

    Not "no such property" (that is None or a PairingProblem): the citizen is told to try
    again, never that the code or number is wrong."""


class PropertyRegistry(abc.ABC):
    """Look-ups take normalised renovation codes and request numbers. A backend that
    cannot answer raises RegistryUnavailable."""

    @abc.abstractmethod
    def find_property(self, renovation_code: str) -> PropertyInfo | None: ...

    @abc.abstractmethod
    def check_pairing(self, renovation_code: str, number: str) -> PairingCheck:
        """Is `number` (a request or certificate number) one the municipality
        answered for this renovation code?"""

    @abc.abstractmethod
    def latest_certificate(self, renovation_code: str) -> EarlierCertificate | None: ...

    @abc.abstractmethod
    def open_debts(self, renovation_code: str) -> list[Debt]: ...
