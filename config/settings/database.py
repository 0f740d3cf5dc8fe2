"""Where data outlives a request: the database and the shared cache.

Environment: DATABASE_URL, CONN_MAX_AGE, DATABASE_PREPARED_STATEMENTS, SQLITE_TIMEOUT_SECONDS,
CACHE_URL, REDIS_URL, AUTH_USER_CACHE_SECONDS.
"""

from config.settings.base import BASE_DIR, env

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the dev server read while a background write is in flight. A deferred
    # transaction that reads and then writes cannot wait for the writer ahead of it (SQLite
    # answers "database is locked" at once), so every transaction takes the write lock at
    # BEGIN (IMMEDIATE) and waits up to `timeout` seconds for it: runserver's threads queue
    # behind one another instead of answering 500. select_for_update locks nothing here;
    # IMMEDIATE is what serialises the payment paths on SQLite.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_TIMEOUT_SECONDS", default=20),
    })
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # Django's backend with a health check that asks the socket instead of the server
    # (ops/postgresql/base.py): no `SELECT 1` before each request's first query.
    DATABASES["default"]["ENGINE"] = "ops.postgresql"
if "postgresql" in DATABASES["default"]["ENGINE"] and env.bool(
        "DATABASE_PREPARED_STATEMENTS", default=True):
    # Parameters bound by the server and a statement run twice on a connection prepared
    # (psycopg 3): PostgreSQL then parses and plans each of a page's statements once per
    # connection, not once per request — half the database's CPU per page or more
    # (`python -m bench.page_cost`). Off (0) behind a transaction-pooling PgBouncer older
    # than 1.21, which cannot keep a connection's prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache: rate-limit counters must be seen by every web process, so production
# sets REDIS_URL (or CACHE_URL); without it each process counts alone (LocMem).
_CACHE_URL = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _CACHE_URL:
    # Django's RedisCache, reusing its redis-py client and serving on when Redis is away
    # (ops/redis_cache.py); the timeouts bound a Redis that hangs instead of refusing.
    CACHES = {"default": {"BACKEND": "ops.redis_cache.RedisCache",
                          "LOCATION": _CACHE_URL, "KEY_PREFIX": "eservices",
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}}}
    # A signed-in request reads its session from Redis instead of the database; every
    # write goes to both and the database stays the source of truth, so a Redis restart
    # logs nobody out (and an unreachable Redis falls back to the database).
    SESSION_ENGINE = "web.session_store"
    # The signed-in person's user row, kept in Redis and dropped when it changes
    # (cases/accounts/backends.py); the seconds bound a change made behind the ORM.
    AUTH_USER_CACHE_SECONDS = env.int("AUTH_USER_CACHE_SECONDS", default=300)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Not cached_db here: each gunicorn process has its own LocMem, so a logout or a
    # changed session in one process would leave a stale copy alive in the others.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    # Likewise: a deactivation in one process would not reach another's copy.
    AUTH_USER_CACHE_SECONDS = 0

# django-solo keeps the singleton settings (PortalSettings: the support phone on every
# page) in the default cache instead of reading them per page; saving them refreshes it.
# Wiring, not deployment configuration (as RATELIMIT_USE_CACHE): the alias is the shared
# cache above; 5 minutes bounds how stale another process can be on LocMem.
SOLO_CACHE = "default"
SOLO_CACHE_TIMEOUT = 300
