"""The WeasyPrint renderer: Persian shaping, bidi and text extraction all correct
(DESIGN.md "PDF"), and no browser to run."""

from __future__ import annotations

from .base import PdfRenderer, PdfRenderingError


class WeasyPrintRenderer(PdfRenderer):
    def render(self, html: str, base_url: str) -> bytes:
        # Importing WeasyPrint takes over a second (Pango through cffi): only the
        # processes that actually render pay for it, not every web worker at start-up.
        import weasyprint
        from weasyprint.urls import FatalURLFetchingError

        from .fetcher import StaticFilesFetcher
        from .stylesheets import cached_stylesheets

        fetcher = StaticFilesFetcher(base_url)
        try:
            with cached_stylesheets(base_url) as font_config:
                return weasyprint.HTML(
                    string=html, base_url=base_url, url_fetcher=fetcher
                ).write_pdf(font_config=font_config)
        except FatalURLFetchingError as error:
            # A BaseException in WeasyPrint; callers (Celery retries, views) expect an
            # Exception, and a certificate without its font must not be issued at all.
            raise PdfRenderingError(f"{error}: {error.__cause__}") from error.__cause__
