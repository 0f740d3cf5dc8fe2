"""A kept connection's health is read from its socket (ops/postgresql/base.py): a healthy
one costs no statement, one the server ended is replaced and the request is served."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kept(postgres):
    """A second connection to the test database, outside the test's own."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def statements_on(wrapper) -> list[str]:
    sent: list[str] = []
    real = wrapper.connection.cursor

    def counting(*args, **kwargs):
        sent.append("cursor")
        return real(*args, **kwargs)

    wrapper.connection.cursor = counting
    return sent


def terminate(wrapper) -> None:
    pid = wrapper.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params()) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_the_site_uses_the_backend_that_asks_the_socket():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no kept connection to check")
    assert type(connections["default"]).__module__ == "ops.postgresql.base"


def test_a_healthy_connection_is_usable_without_a_statement(kept):
    sent = statements_on(kept)
    assert kept.is_usable()
    assert sent == []


def test_a_connection_the_server_ended_is_replaced_before_the_request_queries(kept):
    terminate(kept)
    deadline = time.monotonic() + 5
    while kept.is_usable() and time.monotonic() < deadline:
        time.sleep(0.02)  # the server's goodbye reaches the socket
    assert not kept.is_usable()
    # What Django does before a request's first query (CONN_HEALTH_CHECKS).
    kept.health_check_done = False
    kept.close_if_health_check_failed()
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_mid_transaction_the_check_asks_the_server(kept):
    kept.set_autocommit(False)
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
    sent = statements_on(kept)
    assert kept.is_usable()
    assert sent == ["cursor"]
    kept.rollback()
    kept.set_autocommit(True)
