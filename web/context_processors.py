"""Context every page's shell reads: the support phone and the person's role."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from cases.accounts.role_flags import role_flags


def portal(request) -> dict:
    """The clerk-configured support phone, read only by pages that show it (cached by
    django-solo, SOLO_CACHE), and the person's role for the navigation."""

    def support_phone() -> str:
        from cases.models import PortalSettings

        return PortalSettings.get_solo().support_phone

    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return {"support_phone": SimpleLazyObject(support_phone),
            "portal_role": SimpleLazyObject(lambda: role_flags(user, session))}
