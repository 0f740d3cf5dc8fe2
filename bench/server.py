"""gunicorn on a free 127.0.0.1 port, serving the site under bench.settings."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2  # one per core of the reference machine
THREADS = 4  # the soak's server; the pages are served as deployed (threads=1, sync)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def collectstatic(static_root: Path) -> bool:
    """Hashed, compressed static files as production serves them; False if that failed."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "STATIC_MANIFEST": "1",
           "STATIC_ROOT": str(static_root)}
    # viewflow's roboto-fontface.css names font files the package does not ship, which the
    # manifest storage refuses; no page of ours uses it.
    done = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0",
                           "--ignore", "roboto-fontface.css"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        print(f"bench: collectstatic failed, serving sources:\n{done.stderr[-2000:]}",
              file=sys.stderr)
    return done.returncode == 0


class Gunicorn:
    def __init__(self, static_root: Path | None, log: Path, port: int | None = None,
                 threads: int = THREADS):
        self.threads = threads
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.static_manifest = static_root is not None
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings",
               "STATIC_MANIFEST": "1" if static_root else "0"}
        if static_root:
            env["STATIC_ROOT"] = str(static_root)
        self.log = open(log, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "bench.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS),
             # One thread is gunicorn's sync worker, as config/gunicorn.conf.py deploys.
             *(["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []),
             "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def __enter__(self) -> "Gunicorn":
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.log.name}")
            try:
                urllib.request.urlopen(self.base + "/bench/hello/", timeout=2).read()
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer in 60 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
