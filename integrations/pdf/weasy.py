"""The WeasyPrint renderer: Persian shaping, bidi and text extraction all correct
(DESIGN.md "PDF"), and no browser to run."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager

from .base import PdfRenderer, PdfRenderingError

# A left-to-right isolate holding text only (a date, a code, a tracking number).
_LTR_BDI = re.compile(r'<bdi dir="ltr">([^<]*)</bdi>')
LRI, PDI = "\u2066", "\u2069"


def isolate_ltr(html: str) -> str:
    """Each `<bdi dir="ltr">text</bdi>` written as Unicode's LRI text PDI instead.

    The same isolation (the bidi algorithm resolves both alike: a bdi's UA style is
    `unicode-bidi: isolate`), without an inline box of its own that WeasyPrint styles,
    lays out and draws: a certificate has a dozen, a tenth of its rendering time. The
    marks draw nothing and text extraction leaves them out.
    """
    return _LTR_BDI.sub(rf"{LRI}\1{PDI}", html)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off within the block, its youngest generation
    collected once at the end.

    A render allocates some hundred thousand objects (boxes, styles, layouts) that live
    until it ends: the collector ran every 700 allocations, moved them to the older
    generations and scanned them there again and again, a tenth of the render. Their
    cycles are collected here, in the render's own time. Process-wide: a render in
    another thread meanwhile only runs with the collector on again sooner.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


class WeasyPrintRenderer(PdfRenderer):
    def render(self, html: str, base_url: str) -> bytes:
        # Importing WeasyPrint takes over a second (Pango through cffi): only the
        # processes that actually render pay for it, not every web worker at start-up.
        from weasyprint.urls import FatalURLFetchingError

        from .fetcher import StaticFilesFetcher
        from .stylesheets import cached_stylesheets
        from .svg_rectangles import install_rectangle_paths
        from .user_agent import DocumentHTML

        install_rectangle_paths()
        fetcher = StaticFilesFetcher(base_url)
        try:
            with collector_paused(), cached_stylesheets(base_url) as font_config:
                return DocumentHTML(
                    string=isolate_ltr(html), base_url=base_url, url_fetcher=fetcher
                ).write_pdf(font_config=font_config)
        except FatalURLFetchingError as error:
            # A BaseException in WeasyPrint; callers (Celery retries, views) expect an
            # Exception, and a certificate without its font must not be issued at all.
            raise PdfRenderingError(f"{error}: {error.__cause__}") from error.__cause__
