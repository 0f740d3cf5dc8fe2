"""What the site costs a request before the page's own work, in SQL statements.

An anonymous visitor costs none; a signed-in person costs the session and the user with
sessions in the database, and none with Redis configured: the session (web.session_store)
and the user (cases/accounts/backends.py) are read from it. The
role the shell needs is kept in the session (cases/accounts/role_flags.py), so it costs
nothing until the person's roles change. hello is the bench's baseline view (bench/urls.py).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.support.factories import UserFactory
from tests.support.services import use_redis_sessions

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]

ANONYMOUS_PAGES = ["/bench/hello/", "/accounts/login/", "/verify/", "/"]


def statements(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return [q["sql"] for q in captured.captured_queries]


def tables(sql: list[str]) -> list[str]:
    """Each statement by the table it reads (the whole statement when none of these)."""
    return [next((t for t in ("django_session", "accounts_user", "auth_") if t in q), q)
            for q in sql]


@pytest.fixture
def _sessions_in_redis(settings):
    cache = use_redis_sessions(settings, "request-cost")
    yield
    cache.clear()


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_an_anonymous_page_runs_no_query(path):
    client = Client()
    client.get(path)  # fills the portal settings' cache, as the first visitor does
    assert statements(client, path) == []


def test_hello_signed_in_reads_the_session_and_the_user_only():
    client = Client()
    client.force_login(UserFactory())
    client.get("/bench/hello/")  # keeps the role in the session
    assert tables(statements(client, "/bench/hello/")) == ["django_session", "accounts_user"]


def test_a_citizen_page_adds_only_its_own_work():
    """/services/ (the menu) reads nothing of its own: its whole cost is the shell's."""
    client = Client()
    client.force_login(UserFactory())
    client.get("/services/")
    assert tables(statements(client, "/services/")) == ["django_session", "accounts_user"]


def test_the_role_is_read_once_per_session_not_per_request():
    client = Client()
    client.force_login(UserFactory(staff=True, roles=["inspector"]))
    first = statements(client, "/bench/hello/")
    assert [q for q in first if "auth_group" in q], first
    for _ in range(3):
        assert not [q for q in statements(client, "/bench/hello/") if "auth_" in q]


@pytest.mark.redis
def test_a_signed_in_page_runs_no_query_of_the_shell_with_redis(_sessions_in_redis):
    client = Client()
    client.force_login(UserFactory())
    client.get("/services/")
    assert statements(client, "/bench/hello/") == []
    assert statements(client, "/services/") == []


@pytest.mark.redis
@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_an_anonymous_page_runs_no_query_with_sessions_in_redis(_sessions_in_redis, path):
    client = Client()
    client.get(path)
    assert statements(client, path) == []


@pytest.mark.redis
def test_a_redis_restart_logs_nobody_out(_sessions_in_redis):
    from django.core.cache import caches

    client = Client()
    client.force_login(UserFactory())
    assert client.get("/services/").status_code == 200
    caches["default"].clear()  # what a restart without persistence leaves
    assert client.get("/services/").status_code == 200
    # The request above read the session and the user from the database; now Redis again.
    assert tables(statements(client, "/services/")) == []


def test_per_middleware_rows_follow_the_stack(settings):
    """`python -m bench.request_cost --per-middleware`: one row per MIDDLEWARE entry, in
    order, after the handler alone; a stack never costs less than its first entries."""
    from bench.request_cost import per_middleware

    rows = per_middleware(iterations=2)
    assert [name for name, *_ in rows] == ["(handler, URL and view alone)",
                                           *settings.MIDDLEWARE]
    assert all(anonymous > 0 and signed > 0 for _, anonymous, signed in rows)
    assert rows[-1][1] > rows[0][1] and rows[-1][2] > rows[0][2]
