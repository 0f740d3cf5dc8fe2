"""Signing issued PDFs (PAdES) with the municipality's key, and reading signed PDFs back."""
