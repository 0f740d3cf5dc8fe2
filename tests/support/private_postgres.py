"""A throw-away PostgreSQL cluster for one test run: initdb and pg_ctl from Debian's
packages, run as the `postgres` user (runuser), on a spare port, its data in a temporary
folder. The fault tests stop and restart it; the backup tests restore into it and
archive its WAL."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.services import require_service
from tests.support.stack import free_port


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


def require_private_postgres() -> None:
    require_service("PostgreSQL binaries", pg_bin() is not None,
                    "no /usr/lib/postgresql/*/bin/pg_ctl (apt-get install postgresql)")
    require_service("root (for runuser -u postgres)", os.geteuid() == 0,
                    "the private cluster is run as the postgres user")


class PrivatePostgres:
    """A throw-away PostgreSQL cluster owned by the `postgres` user, on a spare port."""

    def __init__(self, database: str = "faults", initdb: bool = True) -> None:
        """initdb=False: the data folder (`self.data`) is filled by the caller, e.g. from
        a base backup, before start()."""
        self.bin = pg_bin()
        self.port = free_port()
        self.database = database
        self.root = Path(tempfile.mkdtemp(prefix="private-pg-"))
        shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o700)
        self.data = self.root / "data"
        if initdb:
            self.as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust",
                             "-U", "postgres", "--no-sync", "-E", "UTF8")

    def configure(self, **settings: str) -> None:
        """Add settings to postgresql.conf (values with spaces need no shell quoting)."""
        lines = "".join(f"{key} = '{value}'\n" for key, value in settings.items())
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(lines)

    def as_postgres(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(["runuser", "-u", "postgres", "--", *args],
                                capture_output=True, text=True, timeout=120)
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def url_of(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def url(self) -> str:
        return self.url_of(self.database)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=40")
        self.as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                         str(self.root / "server.log"), "-o", options, "-w", "-t", "120",
                         "start")

    def stop(self, mode: str = "fast") -> None:
        self.as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w",
                         "stop", check=False)

    def createdb(self, name: str | None = None) -> None:
        self.as_postgres(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                         "-U", "postgres", name or self.database)

    def psql(self, sql: str, database: str | None = None) -> str:
        result = subprocess.run(
            [str(self.bin / "psql"), "-X", "-w", "-h", "127.0.0.1", "-p", str(self.port),
             "-U", "postgres", "-d", database or self.database, "-v", "ON_ERROR_STOP=1",
             "-tAc", sql], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
