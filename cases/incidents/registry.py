"""What «تلاش دوباره» does for each kind of incident, registered by the code that owns the
failing work (workflows for automatic steps, the SMS and payment modules for theirs): the
incidents module runs a retry without knowing how each is done."""

from __future__ import annotations

from collections.abc import Callable

# kind → retry(subject id) — must be safe to call again (the work is idempotent).
_RETRIES: dict[str, Callable[[int], None]] = {}


def register(kind: str, retry: Callable[[int], None]) -> None:
    _RETRIES[kind] = retry


def retry_for(kind: str) -> Callable[[int], None]:
    return _RETRIES[kind]


def can_retry(kind: str) -> bool:
    """False for a kind nothing can run again (a step gone from the flow: only moving the
    case or cancelling it ends that incident)."""
    return kind in _RETRIES


def unregister(kind: str) -> None:
    """Forget `kind`'s retry (a kind registered for a while, e.g. by a test)."""
    _RETRIES.pop(kind, None)
