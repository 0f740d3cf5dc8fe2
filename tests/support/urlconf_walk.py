"""Every URL the site answers, read from the URLconf rather than listed by hand.

A security test that names its URLs misses the one added next month. `leaf_patterns()`
walks `get_resolver().url_patterns` recursively and yields each endpoint with its full
route, its full regex and its parameters' converter names, so a test can fill every
pattern in with real objects and fail on a pattern nobody has classified.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import get_converters
from django.urls.resolvers import RegexPattern, RoutePattern

_CONVERTER_NAMES = {type(converter): name for name, converter in get_converters().items()}
_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class LeafPattern:
    """One endpoint of the URLconf, as the resolver sees it from the site's root."""

    route: str  # joined like ResolverMatch.route: "services/cases/<int:case_id>/"
    regex: str  # the joined regular expression the resolver matches the path against
    name: str | None  # namespaced: "transfer:apartment:execute", None when unnamed
    # parameter → converter name: "int", "str", "path", "slug", "uuid", or "regex"
    converters: dict[str, str] = field(default_factory=dict, hash=False)
    is_regex: bool = False  # some part is a RegexPattern: build_path() cannot fill it in
    callback: object = field(default=None, compare=False, repr=False)

    @property
    def parameters(self) -> list[str]:
        return list(self.converters)

    @property
    def namespace(self) -> str:
        return self.name.rsplit(":", 1)[0] if self.name and ":" in self.name else ""

    def build_path(self, **values) -> str:
        """The path ("/…") of this pattern with `values` for its parameters.

        Raises KeyError for a parameter without a value and ValueError when the built
        path does not resolve back to this very pattern (an earlier pattern shadows it).
        """
        if self.is_regex:
            raise ValueError(f"{self.route!r} is a regular expression; give its path by hand")
        missing = set(self.converters) - set(values)
        if missing:
            raise KeyError(f"{self.route!r} needs {sorted(missing)}")
        converters = get_converters()

        def fill(match: re.Match) -> str:
            converter = converters[match["converter"] or "str"]
            return str(converter.to_url(values[match["name"]]))

        path = "/" + _ROUTE_PARAMETER.sub(fill, self.route)
        if not self.matches(path):
            raise ValueError(f"{path!r} resolves to another pattern than {self.route!r}")
        return path

    def matches(self, path: str) -> bool:
        """Does the site route `path` ("/…") to this pattern (not to an earlier one)?"""
        try:
            return resolve(path).route == self.route
        except Resolver404:
            return False


def _join(prefix: str, part: str) -> str:
    # As URLResolver._join_route: a regex part's own "^" anchors nothing once joined.
    return prefix + (part[1:] if part.startswith("^") else part)


def _parameters(pattern) -> dict[str, str]:
    if isinstance(pattern, RoutePattern):
        return {
            name: _CONVERTER_NAMES.get(type(converter), type(converter).__name__)
            for name, converter in pattern.converters.items()
        }
    if isinstance(pattern, RegexPattern):
        return {name: "regex" for name in pattern.regex.groupindex}
    return {}


def leaf_patterns(patterns=None) -> Iterator[LeafPattern]:
    """Every endpoint of the URLconf (the root one unless `patterns` is given)."""
    root = get_resolver().url_patterns if patterns is None else patterns
    yield from _walk(root, route="", regex="", namespaces=(), converters={}, is_regex=False)


def _walk(patterns, route, regex, namespaces, converters, is_regex) -> Iterator[LeafPattern]:
    for entry in patterns:
        here_route = _join(route, str(entry.pattern))
        own_regex = entry.pattern.regex.pattern
        here_regex = _join(regex, own_regex) if regex else own_regex
        here_converters = {**converters, **_parameters(entry.pattern)}
        here_is_regex = is_regex or isinstance(entry.pattern, RegexPattern)
        if isinstance(entry, URLResolver):
            here_namespaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry.url_patterns, here_route, here_regex, here_namespaces,
                             here_converters, here_is_regex)
        elif isinstance(entry, URLPattern):
            name = ":".join(namespaces + (entry.name,)) if entry.name else None
            yield LeafPattern(
                route=here_route,
                regex=here_regex,
                name=name,
                converters=here_converters,
                is_regex=here_is_regex,
                callback=entry.callback,
            )
