"""pyHanko's synchronous calls, from wherever they are made.

pyHanko's sync API (`PdfSigner.sign_pdf`, `PdfTimeStamper.timestamp_pdf`, the
validators) wraps its async one in `asyncio.run`, which refuses to start inside a thread
whose event loop is already running: an async view, a worker pool built on asyncio, or
Playwright's sync API driving a browser in the same thread (the bench's page walk issues
a certificate that way). Such a call runs in a thread of its own instead; elsewhere it
runs where it is, as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def outside_event_loop(call: Callable[..., T], *args, **kwargs) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(call, *args, **kwargs).result()
