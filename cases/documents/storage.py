"""Kept importable: migrations name this path."""

from cases.storage import private_storage

__all__ = ["private_storage"]
