"""Short-lived links to one document for one user (DESIGN.md: documents private)."""

from collections.abc import Callable

from django.urls import reverse

from cases.addresses import address_maker
from cases.signed_tokens import sign, unsign

SALT = "documents"


def signed_url(document, user) -> str:
    """/documents/<token>/: valid for settings.SIGNED_LINK_MAX_AGE seconds, for `user` only.

    Signing checks no permission: the view checks the token's user and can_view on
    every request, so a link leaked or forwarded to someone else opens nothing.
    """
    return reverse("documents:serve", kwargs={"token": _token(document, user)})


def signed_thumbnail_url(document, user) -> str:
    """/documents/<token>/thumbnail/: the document's thumbnail, on signed_url's terms.

    The same token opens both: whoever may see the document may see its thumbnail.
    """
    return reverse("documents:thumbnail", kwargs={"token": _token(document, user)})


def signed_url_maker() -> Callable[[object, object], str]:
    """(document, user) → signed_url, the address reversed once per call of this."""
    serve = address_maker("documents:serve", "token")
    return lambda document, user: serve(_token(document, user))


def signed_urls_maker() -> Callable[[object, object], tuple[str, str]]:
    """(document, user) → (signed_url, signed_thumbnail_url) with one token for both and
    each address reversed once per call of this, for a page that lists many documents."""
    serve = address_maker("documents:serve", "token")
    thumbnail = address_maker("documents:thumbnail", "token")

    def urls(document, user) -> tuple[str, str]:
        token = _token(document, user)
        return serve(token), thumbnail(token)

    return urls


def read_token(token: str) -> tuple[int, int] | None:
    """(document pk, user pk) from a genuine, unexpired token; None otherwise."""
    parts = unsign(SALT, token, 2)
    try:
        return (int(parts[0]), int(parts[1])) if parts else None
    except ValueError:
        return None


def _token(document, user) -> str:
    return sign(SALT, document.pk, user.pk)
