from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import PdfRenderer

DEFAULT_RENDERER = "integrations.pdf.weasy.WeasyPrintRenderer"


@lru_cache(maxsize=4)
def _renderer(path: str) -> PdfRenderer:
    return import_string(path)()


def get_renderer() -> PdfRenderer:
    """The configured renderer (settings.PDF_RENDERER, a dotted path), WeasyPrint by default."""
    return _renderer(getattr(settings, "PDF_RENDERER", DEFAULT_RENDERER))
