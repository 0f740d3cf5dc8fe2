"""Context every page's shell reads: the support phone, the person's role and the page's
description."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from cases.accounts.role_flags import role_flags

from .descriptions import description_of


def portal(request) -> dict:
    """The clerk-configured support phone, read only by pages that show it (this
    process's copy, cases/portal_settings.py), the person's role for the navigation, and
    the page's <meta name="description">."""

    def support_phone() -> str:
        from cases import portal_settings

        return portal_settings.for_pages().support_phone

    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return {"support_phone": SimpleLazyObject(support_phone),
            "portal_role": SimpleLazyObject(lambda: role_flags(user, session)),
            "page_description": description_of(request)}
