"""What the upload check asks of a virus scanner, whichever engine answers."""

from __future__ import annotations

import abc
from dataclasses import dataclass


class ScannerUnavailable(Exception):
    """The scanner could not give a verdict (down, timed out, refused the stream).

    Callers fail closed: a file nobody could scan is not accepted.
    """


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    signature: str = ""  # the engine's name for what it found


class VirusScanner(abc.ABC):
    @abc.abstractmethod
    def scan(self, data: bytes) -> ScanResult:
        """Scan `data`; ScannerUnavailable when no verdict could be had."""
