"""Many addresses of one URL, one per value, for a page that lists many rows.

`reverse()` walks the URLconf on every call (~45 µs); a list of 25 cases or a gallery of
documents would pay it per row. The address is reversed once around a stand-in value and
the real values are put in its place. Once per page, not per process: the script prefix
may differ between requests.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# Digits: what an int converter and a str converter both accept, and what reverse()
# leaves unquoted.
_STAND_IN = "987654321"


def address_maker(name: str, kwarg: str | None = None) -> Callable[[object], str]:
    """value → `reverse(name, args=[value])`, or `kwargs={kwarg: value}` when named, for
    values reverse() would not quote (ids, signing's tokens)."""
    kwargs = {kwarg: _STAND_IN} if kwarg else None
    args = None if kwarg else [_STAND_IN]
    parts = reverse(name, args=args, kwargs=kwargs).split(_STAND_IN)
    if len(parts) != 2:  # the stand-in is also in the prefix: reverse each value
        if kwarg:
            return lambda value: reverse(name, kwargs={kwarg: value})
        return lambda value: reverse(name, args=[value])
    before, after = parts
    return lambda value: f"{before}{value}{after}"
