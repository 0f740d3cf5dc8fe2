"""Templates are read and parsed once per process, not on every page.

TEMPLATES sets no `loaders`, so Django wraps the filesystem and app-directories loaders
in its cached loader. (Django does so with DEBUG on as well since 4.1: the development
server's autoreloader empties that cache when a template file changes.)
"""

from django.conf import settings
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader


def test_no_loaders_are_set_so_django_chooses_the_cached_one():
    assert "loaders" not in settings.TEMPLATES[0]["OPTIONS"]
    assert settings.TEMPLATES[0]["APP_DIRS"]
    assert not settings.DEBUG
    loaders = engines["django"].engine.template_loaders
    assert len(loaders) == 1 and isinstance(loaders[0], CachedLoader)
    inner = {type(loader).__module__ for loader in loaders[0].loaders}
    assert inner == {"django.template.loaders.filesystem", "django.template.loaders.app_directories"}


def test_a_template_is_parsed_once():
    engine = engines["django"].engine
    first = engine.get_template("base.html")
    assert engine.get_template("base.html") is first
