"""Short-lived links to one document for one user (DESIGN.md: documents private)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "documents"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def signed_url(document, user) -> str:
    """/documents/<token>/: valid for settings.SIGNED_LINK_MAX_AGE seconds, for `user` only.

    Signing checks no permission: the view checks the token's user and can_view on
    every request, so a link leaked or forwarded to someone else opens nothing.
    """
    token = _signer().sign(f"{document.pk}:{user.pk}")
    return reverse("documents:serve", kwargs={"token": token})


def read_token(token: str) -> tuple[int, int] | None:
    """(document pk, user pk) from a genuine, unexpired token; None otherwise."""
    try:
        value = _signer().unsign(token, max_age=settings.SIGNED_LINK_MAX_AGE)
        document_pk, user_pk = value.split(":")
        return int(document_pk), int(user_pk)
    except (signing.BadSignature, ValueError):
        return None
