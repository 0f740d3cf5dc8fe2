"""What the service asks of a PDF renderer, independent of the library behind it."""

from __future__ import annotations

import abc


class PdfRenderingError(Exception):
    """The document could not be rendered (e.g. a stylesheet or font was refused)."""


class PdfRenderer(abc.ABC):
    @abc.abstractmethod
    def render(self, html: str, base_url: str) -> bytes:
        """The PDF of `html`; relative URLs in it resolve against `base_url`.

        Renderers fetch nothing over the network: static files come from the disk.
        """
