"""A flow's URLs resolved by the node the path names, instead of trying every node's.

viewflow mounts each node's URLs under a namespace with an empty prefix
(`<int:process_pk>/apartment/<int:task_pk>/execute/` inside `apartment`), so Django's
resolver tries every node's patterns in turn, recording each miss, until one matches: a
transfer step's address took ~0.1 ms to resolve and the start page (the last node) ~0.25
ms, on every request. Each node's patterns start with process and task numbers and then
the node's name, so the path's first segment that is not a number says which entries can
match; those are tried, in their order, and nothing else. An entry whose patterns do not
have that shape is tried for every path, and a path nothing matches is resolved again the
ordinary way, so a 404 lists what Django would have tried. Reversing is untouched.
"""

from __future__ import annotations

import copy
import functools

from django.urls import Resolver404, URLPattern, URLResolver
from django.urls.resolvers import RoutePattern

ALWAYS = None  # the key of entries whose patterns do not name their node up front


def dispatching_patterns(patterns: list) -> list:
    """`patterns` with every resolver in them, at any depth, resolving by node name where
    its entries allow it."""
    return [dispatching(entry) if isinstance(entry, URLResolver) else entry
            for entry in patterns]


def dispatching(resolver: URLResolver) -> URLResolver:
    """A copy of `resolver` (its entries made dispatching first) that tries only the
    entries the path's node name can match, or `resolver` itself if nothing would be
    gained. The copy keeps the resolver's class (viewflow's carries the viewset's `extra`
    into every match) with the dispatch put in front of its `resolve`."""
    if isinstance(resolver.urlconf_name, list):
        resolver.urlconf_name[:] = dispatching_patterns(resolver.urlconf_name)
    if len({_key_of(entry) for entry in resolver.url_patterns} - {ALWAYS}) < 2:
        return resolver
    copied = copy.copy(resolver)
    copied.__class__ = _dispatching_class(type(resolver))
    return copied


class Dispatching:
    def resolve(self, path):
        path = str(path)
        match = self.pattern.match(path)
        if match:
            narrowed = self._narrowed().get(path_key(match[0]))
            if narrowed is not None:
                try:
                    return narrowed.resolve(path)
                except Resolver404:
                    pass  # resolved again below, so the 404 says what Django would
        return super().resolve(path)

    def _narrowed(self) -> dict[str, URLResolver]:
        """Per node name, a copy of this resolver (without the dispatch) holding only the
        entries that can match: that node's, in their order, and those tried always."""
        narrowed = self.__dict__.get("_narrowed_by_key")
        if narrowed is None:
            keyed = [(_key_of(entry), entry) for entry in self.url_patterns]
            narrowed = {}
            for name in {key for key, _ in keyed if key is not ALWAYS}:
                narrowed[name] = copy.copy(self)
                narrowed[name].__class__ = self.undispatched
                narrowed[name].__dict__["url_patterns"] = [
                    entry for key, entry in keyed if key in (name, ALWAYS)]
            self.__dict__["_narrowed_by_key"] = narrowed
        return narrowed


@functools.cache
def _dispatching_class(base: type) -> type:
    return type(f"Dispatching{base.__name__}", (Dispatching, base), {"undispatched": base})


def path_key(path: str) -> str | None:
    """The first segment of `path` that is not a number."""
    for segment in path.split("/"):
        if not segment.isdigit():
            return segment or None
    return None


def _key_of(entry) -> str | None:
    """The one node name every pattern under `entry` starts with after its numbers, or
    ALWAYS when a pattern does not have that shape."""
    keys = {_pattern_key(pattern) for pattern in _patterns_under(entry)}
    if len(keys) != 1 or ALWAYS in keys:
        return ALWAYS
    return keys.pop()


def _patterns_under(entry, prefix: str = "") -> list[str]:
    if not isinstance(entry.pattern, RoutePattern):
        return [None]
    route = prefix + str(entry.pattern)
    if isinstance(entry, URLPattern):
        return [route]
    return [found for child in entry.url_patterns for found in _patterns_under(child, route)]


def _pattern_key(route: str | None) -> str | None:
    if route is None:
        return ALWAYS
    for segment in route.split("/"):
        if segment.startswith("<int:") and segment.endswith(">"):
            continue
        if not segment or "<" in segment or segment.isdigit():
            return ALWAYS
        return segment
    return ALWAYS
