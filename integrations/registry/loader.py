from integrations.backends import configured

from .base import PropertyRegistry

DEFAULT_REGISTRY = "cases.registry.DatabaseRegistry"


def get_registry() -> PropertyRegistry:
    """The configured registry backend (settings.PROPERTY_REGISTRY_BACKEND)."""
    return configured("PROPERTY_REGISTRY_BACKEND", DEFAULT_REGISTRY)
