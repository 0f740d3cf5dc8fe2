from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import PropertyRegistry


@lru_cache(maxsize=1)
def _backend(path: str) -> PropertyRegistry:
    return import_string(path)()


def get_registry() -> PropertyRegistry:
    """The configured registry backend (settings.PROPERTY_REGISTRY_BACKEND)."""
    return _backend(settings.PROPERTY_REGISTRY_BACKEND)
