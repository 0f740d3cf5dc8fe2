"""The virus-scanner step of every upload: fails closed when a scanner is configured."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError

from integrations.antivirus.base import ScannerUnavailable
from integrations.antivirus.loader import get_scanner

logger = logging.getLogger(__name__)


def scan_upload(content: bytes, name: str) -> None:
    """Raise ValidationError (Persian) if the scanner finds something or cannot answer.

    The bytes as received are scanned, before any decoding: what a scanner knows is
    how hostile files look on the wire, not after our re-encoding.
    """
    scanner = get_scanner()
    if scanner is None:
        return
    try:
        result = scanner.scan(content)
    except ScannerUnavailable:
        raise ValidationError(
            f"فایل «{name}»: بررسی امنیتی فایل اکنون ممکن نیست؛ چند دقیقه دیگر دوباره بکوشید.",
            code="scanner_unavailable",
        ) from None
    if result.infected:
        logger.warning("document_virus_found", extra={"signature": result.signature})
        raise ValidationError(
            f"فایل «{name}»: آلوده به بدافزار است و پذیرفته نشد.", code="infected"
        )
