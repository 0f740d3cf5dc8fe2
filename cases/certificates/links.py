"""Short-lived links to a case's certificate (PDF or PNG) for one user.

The same rule as documents (cases/documents/links.py): the bytes are only ever served
through a link signed for the user who asked, valid settings.SIGNED_LINK_MAX_AGE
seconds. The page keeps the stable address /certificates/case/<id>/pdf/ (a link
printed in a page that stayed open for an hour must still work); that address serves
nothing itself, it checks who asks and redirects to a freshly signed link.
"""

from __future__ import annotations

from typing import Literal

from django.urls import reverse

from cases.signed_tokens import sign, unsign

SALT = "certificates"
TOKEN_PARAMETER = "link"
FileKind = Literal["pdf", "png"]
URL_NAMES: dict[str, str] = {"pdf": "certificates:case_pdf", "png": "certificates:case_png"}


def signed_url(case_id: int, user, kind: FileKind) -> str:
    """/certificates/case/<id>/<kind>/?link=<token>, for `user` only, expiring.

    Signing checks no permission: the view checks the token's user and the permission
    on every request, so a link forwarded to someone else opens nothing.
    """
    token = sign(SALT, case_id, user.pk, kind)
    return f"{reverse(URL_NAMES[kind], args=[case_id])}?{TOKEN_PARAMETER}={token}"


def read_token(token: str) -> tuple[int, int, str] | None:
    """(case pk, user pk, kind) from a genuine, unexpired token; None otherwise."""
    parts = unsign(SALT, token, 3)
    try:
        return (int(parts[0]), int(parts[1]), parts[2]) if parts else None
    except ValueError:
        return None
