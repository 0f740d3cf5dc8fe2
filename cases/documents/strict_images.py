"""Decode images as they are, never padding a truncated file.

Pillow decodes a truncated file as if it were whole (the missing part grey) while
`PIL.ImageFile.LOAD_TRUNCATED_IMAGES` is set, and WeasyPrint sets it for the whole process
when it is imported (to draw what it can of a broken picture). A process that once
rendered a certificate would then accept half an upload as a document and make a
thumbnail of it. Our decodes switch it off while they run; the lock keeps two threads
of one process from restoring each other's value (gunicorn may run threads).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import ImageFile

_lock = threading.Lock()


@contextmanager
def strict_decoding() -> Iterator[None]:
    with _lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous
