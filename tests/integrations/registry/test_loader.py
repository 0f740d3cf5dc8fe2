"""Which class PROPERTY_REGISTRY_BACKEND names, including a path an older .env still sets."""

import importlib.util

from cases.property_registry import DatabaseRegistry
from integrations.registry.loader import get_registry


def test_the_database_registry_is_the_default(settings):
    del settings.PROPERTY_REGISTRY_BACKEND
    assert isinstance(get_registry(), DatabaseRegistry)


def test_the_database_registrys_old_dotted_path_still_loads_it(settings):
    settings.PROPERTY_REGISTRY_BACKEND = "cases.registry.DatabaseRegistry"
    assert isinstance(get_registry(), DatabaseRegistry)
    # Mapped in the loader: no module is left at the old path.
    assert importlib.util.find_spec("cases.registry") is None



def test_a_city_registry_is_loaded_by_its_own_path(city_registry):
    from integrations.registry.http import HttpRegistry

    registry = get_registry()
    assert isinstance(registry, HttpRegistry) and registry.base_url == city_registry.url.rstrip("/")
