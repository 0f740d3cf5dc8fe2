"""A city's own property registry, reached over a small JSON HTTP API.

PROPERTY_REGISTRY_BACKEND=integrations.registry.http.HttpRegistry; the API it expects is
docs/developers/property-registry.md.
"""

from .client import HttpRegistry

__all__ = ["HttpRegistry"]
