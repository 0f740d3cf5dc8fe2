"""The tokens of the private links (documents, certificates): what the link opens and for
which user, signed with the site's key and valid settings.SIGNED_LINK_MAX_AGE seconds."""

from __future__ import annotations

from django.conf import settings
from django.core import signing


def sign(salt: str, *parts: object) -> str:
    return signing.TimestampSigner(salt=salt).sign(":".join(str(p) for p in parts))


def unsign(salt: str, token: str, count: int) -> list[str] | None:
    """The `count` parts of a genuine, unexpired token; None for anything else."""
    try:
        value = signing.TimestampSigner(salt=salt).unsign(
            token, max_age=settings.SIGNED_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    parts = value.split(":")
    return parts if len(parts) == count else None
