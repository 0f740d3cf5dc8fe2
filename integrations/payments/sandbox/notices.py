"""The sandbox bank's server-to-server notice, sent like a PSP's: over HTTP, later."""

from __future__ import annotations

import logging
import threading
import time

import requests

logger = logging.getLogger(__name__)
NOTICE_TIMEOUT_SECONDS = 10


def _post(url: str, params: dict[str, str], delay_seconds: float) -> None:
    time.sleep(delay_seconds)
    try:
        response = requests.post(url, data=params, timeout=NOTICE_TIMEOUT_SECONDS)
        logger.info(
            "sandbox bank notice for %s: HTTP %s", params.get("order_id"), response.status_code
        )
    except requests.RequestException as error:
        # A lost notice is what reconciliation is for; the sandbox does not retry.
        logger.warning("sandbox bank notice for %s failed: %s", params.get("order_id"), error)


def deliver(url: str, params: dict[str, str], delay_seconds: float = 0) -> None:
    """Send the notice from a background thread, as the bank's server would: the
    browser's own return races it (the duplicated callback) or precedes it (delayed)."""
    threading.Thread(target=_post, args=(url, params, delay_seconds), daemon=True).start()
