"""Parse each linked stylesheet and load its fonts once per thread, not on every render.

WeasyPrint builds a new font configuration (fontconfig's whole set-up) for each document
and parses, and compiles into Python code, every `<link rel="stylesheet">` it finds: for
a certificate that was an eighth of its rendering time, spent on the same file every time.
Here a thread keeps one FontConfiguration and the CSS objects parsed into it; a link is
still applied where it stands in the document, as an author stylesheet, so the cascade
is the one WeasyPrint would compute.

Imported only inside WeasyPrintRenderer.render(), as importing WeasyPrint is slow.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import weasyprint
import weasyprint.css
from weasyprint.text.fonts import FontConfiguration

from .static_files import static_file_path

_parse = weasyprint.CSS


class _ThreadCache(threading.local):
    # Pango's font maps are not safe to share between threads: one of each per thread.
    def __init__(self) -> None:
        self.font_config: FontConfiguration | None = None
        self.sheets: dict[tuple, tuple] = {}
        self.base_url: str | None = None


_cache = _ThreadCache()


@contextmanager
def cached_stylesheets(base_url: str) -> Iterator[FontConfiguration]:
    """Within the block, linked stylesheets come from this thread's cache; yields the
    FontConfiguration the document must be rendered with (the cached @font-face live in it)."""
    if _cache.font_config is None:
        _cache.font_config = FontConfiguration()
    weasyprint.css.CSS = _css  # the name find_stylesheets() builds linked sheets with
    _cache.base_url = base_url
    try:
        yield _cache.font_config
    finally:
        _cache.base_url = None


def _css(*args, url=None, matcher=None, font_config=None, counter_style=None,
         color_profiles=None, page_rules=None, layers=None, **kwargs):
    """weasyprint.CSS, answered from the cache for a document's linked stylesheet.

    Anything else (a <style> element, an @import into its parent's rules, another thread
    or a render that is not ours) is parsed as before.
    """
    ours = (_cache.base_url is not None and font_config is _cache.font_config
            and url is not None and matcher is None and not args)
    if not ours:
        return _parse(*args, url=url, matcher=matcher, font_config=font_config,
                      counter_style=counter_style, color_profiles=color_profiles,
                      page_rules=page_rules, layers=layers, **kwargs)
    key = (url, _version(url, _cache.base_url), kwargs.get("media_type"))
    if key not in _cache.sheets:
        # Its own rule lists, not this document's: the next document gets only this sheet's.
        own_counters, own_profiles = {}, {}
        sheet = _parse(url=url, font_config=font_config, counter_style=own_counters,
                       color_profiles=own_profiles, **kwargs)
        _cache.sheets[key] = (sheet, own_counters, own_profiles)
    sheet, own_counters, own_profiles = _cache.sheets[key]
    if counter_style is not None:
        counter_style.update(own_counters)
    if color_profiles is not None:
        color_profiles.update(own_profiles)
    return sheet


def _version(url: str, base_url: str) -> tuple[int, int] | None:
    """The static file's modification time and size: an edited stylesheet is parsed again."""
    path = static_file_path(url, base_url)
    if path is None:
        return None
    stat = os.stat(path)
    return stat.st_mtime_ns, stat.st_size
