"""One wrk run against one URL: requests per second and p50/p95/p99 latency."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk_report.lua")
CONNECTIONS = 20
THREADS = 2


def available() -> bool:
    return shutil.which("wrk") is not None


def status_of(url: str, cookie: str | None) -> int:
    """The status a single GET gets, redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        return urllib.request.build_opener(NoRedirect).open(request, timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code


def wrk(url: str, seconds: int, cookie: str | None = None) -> dict:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(SCRIPT)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run(command + [url], capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode:
        raise RuntimeError(f"wrk failed: {done.stderr[-500:]}")
    line = next(l for l in reversed(done.stdout.splitlines()) if l.startswith("{"))
    found = json.loads(line)
    return {
        "rps": found["requests"] / (found["duration_us"] / 1e6),
        "p50_ms": found["p50_us"] / 1000,
        "p95_ms": found["p95_us"] / 1000,
        "p99_ms": found["p99_us"] / 1000,
        "requests": found["requests"],
        "errors": found["status_errors"] + found["connect_errors"] + found["read_errors"]
        + found["timeouts"],
    }
