"""Rendering HTML to PDF (certificates, inquiry answers); knows nothing of cases."""
