"""A real ClamAV clamd for the virus-scanner tests, started here on a private socket and
stopped afterwards."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.files import EICAR
from tests.support.services import require_service


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """clamd with a database of one test signature (the EICAR string), built by sigtool.

    Real signatures cannot be downloaded here; the engine, protocol and verdicts are
    the real ones.
    """
    missing = [tool for tool in ("clamd", "sigtool") if not _which(tool)]
    require_service("ClamAV clamd", not missing,
                    f"missing {missing}; bash scripts/system-deps.sh installs clamav-daemon")
    home = tmp_path_factory.mktemp("clamd")
    database = home / "db"
    database.mkdir()
    hex_dump = subprocess.run(["sigtool", "--hex-dump"], input=EICAR, capture_output=True,
                              check=True).stdout.decode().strip()
    (database / "test.ndb").write_text(f"Test.EICAR:0:*:{hex_dump}\n")
    sock = home / "clamd.sock"
    config = home / "clamd.conf"
    config.write_text(
        f"DatabaseDirectory {database}\nLocalSocket {sock}\nForeground yes\n"
        f"LogFile {home / 'clamd.log'}\nPidFile {home / 'clamd.pid'}\n"
    )
    process = subprocess.Popen([_which("clamd"), "-c", str(config)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               preexec_fn=_die_with_parent)
    try:
        _wait_for_socket(sock, process, home)
        yield str(sock)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _die_with_parent() -> None:
    """clamd is stopped by the fixture; if pytest itself is killed, Linux stops it."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _which(tool: str) -> str | None:
    return shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/usr/bin")


def _wait_for_socket(sock: Path, process: subprocess.Popen, home: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (home / "clamd.log").read_text() if (home / "clamd.log").exists() else ""
            raise RuntimeError(f"clamd exited with {process.returncode}: {log[-2000:]}")
        if sock.exists():
            with socket.socket(socket.AF_UNIX) as probe:
                try:
                    probe.connect(str(sock))
                    probe.sendall(b"zPING\0")
                    if probe.recv(16).startswith(b"PONG"):
                        return
                except OSError:
                    pass
        time.sleep(0.2)
    raise RuntimeError("clamd did not answer within 60 s")
