"""Mounting a flow's engine URLs for people who are logged in."""

from django.contrib.auth.decorators import login_required
from django.urls import URLPattern, URLResolver


def login_first(urls):
    """Every engine page is for logged-in users: send an anonymous visitor to log in.

    viewflow itself answers them with a bare 403 (or, on a task's index, a redirect
    home), so a citizen whose session expired would never see the login page.
    """
    patterns, app_name, namespace = urls
    _require_login(patterns)
    return patterns, app_name, namespace


def _require_login(patterns) -> None:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _require_login(entry.url_patterns)
        elif isinstance(entry, URLPattern) and not getattr(entry.callback, "login_first", False):
            entry.callback = login_required(entry.callback)
            entry.callback.login_first = True
