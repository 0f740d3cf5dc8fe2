"""WeasyPrint's URL fetcher for our documents: static files from the disk, data: URLs,
and nothing else — a certificate never waits on, or leaks to, the network.

Imported only inside WeasyPrintRenderer.render(), as importing WeasyPrint is slow.
"""

from __future__ import annotations

import mimetypes
import os
from functools import lru_cache
from io import BytesIO

from fontTools.ttLib import woff2
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .static_files import static_file_path


class RefusedURL(ValueError):
    pass


class StaticFilesFetcher(URLFetcher):
    def __init__(self, base_url: str) -> None:
        # fail_on_errors: a missing font or stylesheet stops the rendering instead of
        # giving a certificate in a fallback font with a warning in some log.
        super().__init__(allowed_protocols={"data"}, fail_on_errors=True)
        self.base_url = base_url

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_file_path(url, self.base_url)
        if path is None:
            raise RefusedURL(f"not a static file of this site: {url}")
        stat = os.stat(path)
        if path.endswith(".woff2"):
            body, content_type = _decompressed_font(path, stat.st_mtime_ns, stat.st_size)
        else:
            body, content_type = _read(path), mimetypes.guess_type(path)[0]
        content_type = content_type or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


@lru_cache(maxsize=8)
def _decompressed_font(path: str, mtime_ns: int, size: int) -> tuple[bytes, str]:
    """The WOFF2 font as plain TrueType, once per process and file version.

    WeasyPrint would otherwise decompress both Vazirmatn files on every render: that
    was two thirds of a certificate's rendering time. It uses plain fonts as they come.
    """
    out = BytesIO()
    woff2.decompress(BytesIO(_read(path)), out)
    return out.getvalue(), "font/ttf"
