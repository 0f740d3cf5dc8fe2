"""The clerk-edited settings (PortalSettings) as pages show them: each process's own copy,
at most PAGE_COPY_SECONDS old.

Nearly every page prints the support phone in its footer; through django-solo's shared
copy that was a Redis round trip on each of them. A clerk's change now reaches the
process that saved it at once and every other process within a minute. What is issued
(a certificate naming the municipality) reads PortalSettings.get_solo(), current.
"""

from __future__ import annotations

import time

from django.db.models.signals import post_save

from cases.models import PortalSettings

PAGE_COPY_SECONDS = 60

_copy: tuple[float, PortalSettings] | None = None  # (good until, monotonic; the settings)


def for_pages() -> PortalSettings:
    global _copy
    copy, now = _copy, time.monotonic()
    if copy is None or copy[0] <= now:
        copy = _copy = (now + PAGE_COPY_SECONDS, PortalSettings.get_solo())
    return copy[1]


def forget(**_kwargs) -> None:
    global _copy
    _copy = None


def connect() -> None:
    """Called once from the app's ready()."""
    post_save.connect(forget, sender=PortalSettings, dispatch_uid="portal-settings-pages")
