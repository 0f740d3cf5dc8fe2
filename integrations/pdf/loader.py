from integrations.backends import configured

from .base import PdfRenderer

DEFAULT_RENDERER = "integrations.pdf.weasy.WeasyPrintRenderer"


def get_renderer() -> PdfRenderer:
    """The configured renderer (settings.PDF_RENDERER, a dotted path), WeasyPrint by default."""
    return configured("PDF_RENDERER", DEFAULT_RENDERER)
