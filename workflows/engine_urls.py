"""Mounting a flow's engine URLs: for logged-in people, each task URL for its own task."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver
from viewflow.workflow import flow

from . import flow_versions, url_dispatch
from .task_urls import own_step_view, own_task_only


def engine_urls(flow_class):
    """`flow_class`'s URLs (viewflow's `Flow.instance.urls`) as the site serves them.

    Every engine page is for logged-in users: an anonymous visitor is sent to log in
    (viewflow itself answers a bare 403, or on a task's index a redirect home, so a
    citizen whose session expired would never see the login page). Every pattern that
    names a task serves that node's and that process's task only (task_urls.py). A path
    is resolved among its node's patterns only (url_dispatch.py).
    """
    patterns, app_name, namespace = flow_class.instance.urls
    _guard(patterns, flow_class, node=None)
    return url_dispatch.dispatching_patterns(patterns), app_name, namespace


def _guard(patterns, flow_class, node) -> None:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            # viewflow mounts each node's URLs under a namespace named after the node.
            named = entry.namespace and flow_class.instance.node(entry.namespace, no_obsolete=True)
            _guard(entry.url_patterns, flow_class, named or node)
        elif isinstance(entry, URLPattern) and not getattr(entry.callback, "login_first", False):
            entry.callback = login_required(_own_task(entry, node, flow_class))
            entry.callback.login_first = True


def _own_task(entry: URLPattern, node, flow_class):
    if not {"process_pk", "task_pk"} <= set(entry.pattern.converters):
        return _newest_version_starts(flow_class, entry.callback)  # the start page
    if node is None:
        raise LookupError(f"task URL {entry.pattern} outside a node's namespace")
    if isinstance(node, flow.View) and entry.name == "execute":
        return own_step_view(node, entry.callback)
    return own_task_only(node, entry.callback)


def _newest_version_starts(flow_class, view):
    """An older version's start page sends the citizen to the newest's: its open cases
    finish on it, but new cases start on the procedure in force."""

    @wraps(view)
    def start(request, *args, **kwargs):
        if flow_versions.superseded(flow_class):
            service = str(flow_class.service)
            return redirect(flow_versions.start_url(flow_versions.newest(service)))
        return view(request, *args, **kwargs)

    return start
