"""Each integration's backend is a class named by a dotted path in settings."""

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@lru_cache(maxsize=16)
def load(path: str) -> Any:
    """One instance per dotted path and process (backends keep clients and sessions)."""
    return import_string(path)()


def configured(setting: str, default: str) -> Any:
    return load(getattr(settings, setting, default))
