"""A flow's addresses resolve by node name (workflows/url_dispatch.py) to exactly what
Django's resolver finds trying every node in turn, and unknown addresses still 404."""

import re

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from workflows import flow_versions
from workflows.url_dispatch import Dispatching, path_key


def _flow_resolvers() -> list[tuple[URLResolver, str]]:
    """Every dispatching resolver under /flows/, with the path prefix it sees."""
    found = []

    def walk(entries, prefix):
        for entry in entries:
            if isinstance(entry, URLResolver):
                route = prefix + str(entry.pattern)
                if isinstance(entry, Dispatching):
                    found.append((entry, route))
                walk(entry.url_patterns, route)

    walk(get_resolver().url_patterns, "/")
    return found


def _sample_paths(entries, prefix: str = "") -> list[str]:
    paths = []
    for entry in entries:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLPattern):
            paths.append(re.sub(r"<int:[a-z_]+>", "7", route))
        else:
            paths.extend(_sample_paths(entry.url_patterns, route))
    return paths


def _match(resolve_path, path):
    found = resolve_path(path)
    return (found.func, found.args, found.kwargs, found.url_name, found.app_names,
            found.namespaces, found.route, getattr(found.url_name, "extra", None))


def test_every_flow_is_resolved_by_node():
    resolvers = _flow_resolvers()
    mounted = {prefix for _, prefix in resolvers}
    for flow_class in flow_versions.all_flows():
        assert f"/flows/{flow_versions.mount_path(flow_class)}" in mounted


@pytest.mark.parametrize("resolver, prefix", _flow_resolvers(),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_each_address_resolves_as_django_would(resolver, prefix):
    paths = _sample_paths(resolver.url_patterns)
    assert len(paths) > 20  # every node's execute, detail, undo… pages
    def plain(path):
        return resolver.undispatched.resolve(resolver, path)

    for path in paths:
        assert _match(resolver.resolve, path) == _match(plain, path), path


@pytest.mark.parametrize("path", ["7/apartment/7/nowhere/", "7/nowhere/7/execute/", "",
                                  "7/", "start/7/", "7/7/"])
def test_unknown_addresses_404_with_what_django_tried(path):
    resolver, _ = _flow_resolvers()[0]
    with pytest.raises(Resolver404) as dispatched:
        resolver.resolve(path)
    with pytest.raises(Resolver404) as plain:
        resolver.undispatched.resolve(resolver, path)
    assert dispatched.value.args[0] == plain.value.args[0]


def test_the_start_page_and_a_step_page_resolve_to_their_views():
    start = reverse("transfer:start:execute")
    assert resolve(start).url_name == "execute"
    assert resolve(start).namespaces == ["transfer", "start"]
    step = reverse("transfer:apartment:execute", kwargs={"process_pk": 3, "task_pk": 9})
    assert resolve(step).kwargs == {"process_pk": 3, "task_pk": 9}
    assert resolve(step).namespaces == ["transfer", "apartment"]


@pytest.mark.parametrize("path, key", [("7/apartment/9/execute/", "apartment"),
                                       ("start/", "start"), ("7/7/", None), ("", None)])
def test_the_node_a_path_names(path, key):
    assert path_key(path) == key


def test_only_the_named_nodes_patterns_are_tried():
    resolver, _ = _flow_resolvers()[0]
    for path in ("start/", "7/apartment/7/execute/"):
        plain = resolver.undispatched.resolve(resolver, path)
        # Django records each pattern it tried before the match; by node, only the
        # node's own patterns before it are.
        assert len(resolver.resolve(path).tried) < len(plain.tried) / 3
