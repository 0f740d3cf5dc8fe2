"""The bench's own PostgreSQL database: dropped, created and migrated on every run."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_db"


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def recreate(url: str, prefix: str = "bench") -> None:
    """DROP and CREATE the database named in `url` (its server's `postgres` db is used)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith(prefix) and not name.endswith("bench_db"):
        # A guard against pointing the bench at somebody's real data by mistake.
        raise SystemExit(
            f"refusing to drop {name!r}: the bench database's name starts with {prefix!r}")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(drop.format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def migrate() -> None:
    from django.core.management import call_command
    from django.db import connection

    from bench.models import BaselineTask

    call_command("migrate", verbosity=0, interactive=False)
    with connection.schema_editor() as editor:
        editor.create_model(BaselineTask)


def versions() -> dict[str, str]:
    import platform
    from importlib.metadata import version

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    found = {"Python": platform.python_version(), "PostgreSQL": server}
    for package in ("Django", "django-viewflow", "gunicorn", "WeasyPrint", "psycopg", "playwright"):
        try:
            found[package] = version(package)
        except Exception:  # noqa: BLE001 - a missing optional package is reported, not fatal
            found[package] = "not installed"
    return found
