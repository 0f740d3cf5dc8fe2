from django.utils.functional import SimpleLazyObject


def portal(request) -> dict:
    """The clerk-configured support phone, read only by pages that show it."""

    def support_phone() -> str:
        from .models import PortalSettings

        return PortalSettings.get_solo().support_phone

    return {"support_phone": SimpleLazyObject(support_phone)}
