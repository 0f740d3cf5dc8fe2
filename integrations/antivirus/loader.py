"""The scanner the settings configure, or None when none is."""

from __future__ import annotations

from django.conf import settings

from .base import VirusScanner
from .clamd import ClamdScanner


def get_scanner() -> VirusScanner | None:
    """clamd when CLAMD_SOCKET or CLAMD_HOST is set; None means scanning is off."""
    socket_path = getattr(settings, "CLAMD_SOCKET", "")
    host = getattr(settings, "CLAMD_HOST", "")
    if not socket_path and not host:
        return None
    return ClamdScanner(
        socket_path=socket_path,
        host=host,
        port=getattr(settings, "CLAMD_PORT", 3310),
        timeout=getattr(settings, "CLAMD_TIMEOUT_SECONDS", 15.0),
    )
