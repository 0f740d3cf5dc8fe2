"""Pages compressed for browsers that ask, at the level that pays for an HTML page.

Django's GZipMiddleware compresses at zlib's level 6. For the site's pages (4–35 KB of
HTML) level 2 sends 5–12 % more bytes for 35–60 % of the CPU: the
calendar step (34 KB) 178 → 66 µs for 3.8 → 4.1 KB, the staff search (18 KB) 133 → 75 µs
for 3.5 → 3.8 KB (docs/developers/performance.md). A few hundred bytes are one packet on
a phone line; the CPU is paid on every page. nginx's own default is level 1.

Django's BREACH mitigation stays: a filename of random length in the gzip header (the
CSRF token is masked per response as before). Streaming responses keep Django's path.
"""

from __future__ import annotations

import gzip
import secrets
import zlib

from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

LEVEL = 2
MIN_BYTES = 200  # Django's: shorter responses are not worth compressing


def compress(content: bytes, max_random_bytes: int) -> bytes:
    """Django's `compress_string` at LEVEL: gzip with mtime 0 and, when asked, a header
    filename of 0…max_random_bytes-1 letters."""
    packed = zlib.compress(content, level=LEVEL, wbits=31)
    if not max_random_bytes:
        return packed
    header = bytearray(packed[:10])
    header[3] = gzip.FNAME
    filename = b"a" * secrets.randbelow(max_random_bytes) + b"\x00"
    return bytes(header) + filename + packed[10:]


class PageGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if response.streaming:
            return super().process_response(request, response)
        if len(response.content) < MIN_BYTES or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        packed = compress(response.content, self.max_random_bytes)
        if len(packed) >= len(response.content):
            return response
        response.content = packed
        response.headers["Content-Length"] = str(len(packed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag  # RFC 9110 8.8.1, as Django does
        response.headers["Content-Encoding"] = "gzip"
        return response
