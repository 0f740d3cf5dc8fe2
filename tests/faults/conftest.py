"""Private PostgreSQL and Redis for the fault tests, on spare ports.

They are started (and stopped, and restarted) here and nowhere else, so a fault test
never touches the shared servers the rest of the suite uses.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.faults.servers import PrivatePostgres, PrivateRedis, pg_bin
from tests.support.services import require_service
from tests.support.stack import manage, production_env


@pytest.fixture(scope="package")
def servers(tmp_path_factory):
    require_service("PostgreSQL binaries", pg_bin() is not None,
                    "no /usr/lib/postgresql/*/bin/pg_ctl (apt-get install postgresql)")
    require_service("redis-server", shutil.which("redis-server") is not None,
                    "apt-get install redis-server")
    require_service("root (for runuser -u postgres)", os.geteuid() == 0,
                    "the private cluster is run as the postgres user")
    tmp = tmp_path_factory.mktemp("faults")
    postgres = PrivatePostgres()
    redis = PrivateRedis(tmp)
    try:
        postgres.start()
        postgres.createdb()
        redis.start()
        env = production_env(postgres.url, redis.url, tmp)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo", "--force")
        yield {"postgres": postgres, "redis": redis, "tmp": tmp}
    finally:
        redis.stop()
        postgres.destroy()


def psql(postgres: PrivatePostgres, sql: str) -> str:
    result = subprocess.run(
        ["psql", "-X", "-w", "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres",
         "-d", "faults", "-tAc", sql], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
