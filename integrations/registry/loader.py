from django.conf import settings

from integrations.backends import load

from .base import PropertyRegistry

DEFAULT_REGISTRY = "cases.property_registry.DatabaseRegistry"

# Dotted paths that installations' settings (.env files) still name, and the class each
# names now: a renamed module must not stop a deployment from starting.
MOVED = {"cases.registry.DatabaseRegistry": DEFAULT_REGISTRY}


def backend_path() -> str:
    """The class settings.PROPERTY_REGISTRY_BACKEND names, by its current dotted path."""
    path = getattr(settings, "PROPERTY_REGISTRY_BACKEND", DEFAULT_REGISTRY)
    return MOVED.get(path, path)


def get_registry() -> PropertyRegistry:
    """The configured registry backend (settings.PROPERTY_REGISTRY_BACKEND)."""
    return load(backend_path())
