"""Templates are read and compiled once per process, not on every page.

The pages are Jinja2 (config/jinja_env.py): with DEBUG off Django's backend turns Jinja2's
auto-reload off, so a template is compiled on first use and kept in the environment's
cache, which holds every template the site has. Django's own engine (the admin's pages)
is given no `loaders`, so Django wraps its loaders in the cached one.
"""

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader


def test_a_page_template_is_compiled_once():
    env = engines["jinja2"].env
    assert not settings.DEBUG and not env.auto_reload
    first = env.get_template("base.html")
    assert env.get_template("base.html") is first


def test_the_cache_holds_every_template():
    templates = [p for p in (Path(settings.BASE_DIR) / "jinja2").rglob("*") if p.is_file()]
    assert len(templates) > 50
    assert engines["jinja2"].env.cache.capacity > len(templates)


def test_djangos_engine_chooses_its_cached_loader():
    django_engine = next(t for t in settings.TEMPLATES if t["BACKEND"].endswith("DjangoTemplates"))
    assert "loaders" not in django_engine["OPTIONS"] and django_engine["APP_DIRS"]
    loaders = engines["django"].engine.template_loaders
    assert len(loaders) == 1 and isinstance(loaders[0], CachedLoader)
