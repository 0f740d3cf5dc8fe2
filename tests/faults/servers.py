"""Private PostgreSQL and Redis servers for the fault tests, on spare ports.

PostgreSQL is tests/support/private_postgres.py's throw-away cluster; Redis keeps
nothing on disk.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from tests.support.private_postgres import PrivatePostgres, pg_bin
from tests.support.stack import Process, free_port, port_open, wait_until

__all__ = ["PrivatePostgres", "PrivateRedis", "pg_bin"]


class PrivateRedis:
    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.tmp = tmp
        self.proc: Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = Process(
            f"redis-{self.port}",
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.tmp)],
            dict(os.environ), self.tmp,
        )
        wait_until(lambda: port_open(self.port), 20, "private redis")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop(signal.SIGKILL)
            self.proc = None
        wait_until(lambda: not port_open(self.port), 10, "private redis to stop")
