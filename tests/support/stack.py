"""The production arrangement as processes: gunicorn, Celery worker, PostgreSQL, Redis.

Used by tests/deploy (against the shared servers, on a database of its own), by
tests/faults (against private PostgreSQL and Redis instances started here on spare
ports, so that stopping them never disturbs the rest of the suite), and by the tests
that need a real server process or a spare port of their own.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

from tests.support.pages import Page

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


def production_env(database_url: str, broker_url: str, tmp: Path, **extra: str) -> dict:
    """DEBUG off, as deployed: the proxy's X-Forwarded-Proto tells Django it is HTTPS."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "DJANGO_", "CELERY_", "PROMETHEUS_"))
    }
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "stack-test-secret-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "SECURE_SSL_REDIRECT": "1",
        "STATIC_MANIFEST": "0",
        "LOG_FORMAT": "json",
        "PRIVATE_STORAGE_ROOT": str(tmp / "private"),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp / "metrics"),
        "METRICS_TOKEN": "stack-metrics-token",
        "CONN_MAX_AGE": "60",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


def manage(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result


class Process:
    """A child process whose output goes to a file the test can read."""

    def __init__(self, name: str, args: list[str], env: dict, tmp: Path) -> None:
        self.name = name
        self.log = tmp / f"{name}.log"
        self._out = open(self.log, "ab")
        self.popen = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, sig)
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)
            except ProcessLookupError:
                pass
        self._out.close()


def start_gunicorn(env: dict, tmp: Path, workers: int = 2) -> tuple[Process, str]:
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)}
    proc = Process(
        "gunicorn",
        [str(BIN / "gunicorn"), "config.wsgi:application", "--config", "config/gunicorn.conf.py"],
        env, tmp,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: requests.get(base + "/healthz", timeout=2).ok, 60, "gunicorn")
    except AssertionError:
        proc.stop()
        raise AssertionError("gunicorn did not start:\n" + proc.output()[-4000:]) from None
    return proc, base


def start_worker(env: dict, tmp: Path, name: str = "worker", concurrency: int = 1) -> Process:
    # Its own counters directory, as in its own container.
    env = {**env, "PROMETHEUS_MULTIPROC_DIR": str(tmp / f"{name}-metrics")}
    proc = Process(
        name,
        [PYTHON, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
         f"--concurrency={concurrency}", "--pool=prefork", f"--hostname={name}@%h",
         "--without-gossip", "--without-mingle"],
        env, tmp,
    )
    try:
        wait_until(lambda: "ready." in proc.output(), 90, "the Celery worker")
    except AssertionError:
        proc.stop()
        raise AssertionError("worker did not start:\n" + proc.output()[-4000:]) from None
    return proc


class BrowserSession(requests.Session):
    """A visitor behind the HTTPS proxy: every request says X-Forwarded-Proto: https
    (as the proxy would), so secure cookies and the CSRF referer check work as deployed."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.headers["X-Forwarded-Proto"] = "https"

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base + url
        headers = kwargs["headers"] = dict(kwargs.get("headers") or {})
        headers.setdefault("Referer", url.replace("http://", "https://", 1))
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        return super().request(method, url, *args, **kwargs)

    def prepare_request(self, request):
        prepared = super().prepare_request(request)
        # The cookies are Secure; the hop from the proxy to gunicorn is plain HTTP.
        if len(self.cookies):
            prepared.headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        return prepared


def login(base: str, username: str = "citizen") -> BrowserSession:
    """A demo citizen logged in through the real login form."""
    session = BrowserSession(base)
    page = session.get("/accounts/login/")
    assert page.status_code == 200
    form = Page.of(page).form_with_button("ورود")
    data = form.data({}, button="ورود")
    data.update({"username": username, "password": "demo-pass-1405"})
    response = session.post("/accounts/login/", data=data)
    assert response.status_code == 302, Page.of(response).text[:500]
    return session


class HttpClient:
    """The Django test client's interface over a real HTTP session, for CitizenDriver."""

    def __init__(self, session: BrowserSession, request_id: str) -> None:
        self.session = session
        self.request_id = request_id

    def get(self, url: str):
        return _Response(self.session.get(url, headers={"X-Request-ID": self.request_id}))

    def post(self, url: str, data: dict):
        files = {k: (v.name, v.read(), v.content_type) for k, v in data.items()
                 if hasattr(v, "read")}
        fields = {k: v for k, v in data.items() if k not in files}
        return _Response(self.session.post(url, data=fields, files=files or None,
                                           headers={"X-Request-ID": self.request_id}))


class _Response:
    def __init__(self, response: requests.Response) -> None:
        self.raw = response
        self.status_code = response.status_code
        self.content = response.content
        url = requests.utils.urlparse(response.url)
        full_path = url.path + (f"?{url.query}" if url.query else "")
        self.wsgi_request = type("R", (), {"get_full_path": staticmethod(lambda: full_path)})()

    def __getitem__(self, header: str) -> str:
        return self.raw.headers[header]



def ask_for_code(driver, phone: str):
    """On the appointment step: pick the first free hour and press دریافت کد تایید."""
    from tests.support.transfer_driver import CitizenDriver, post_button

    assert isinstance(driver, CitizenDriver)
    response = driver.until_appointment()
    form = Page.of(response).form_with_button("دریافت کد تایید")
    slot = form.enabled_choices("starts_at")[0].attrs["value"]
    return post_button(driver.client, response, "دریافت کد تایید",
                       {"شماره تماس مالک جهت هماهنگی کارشناس": phone},
                       files={"starts_at": slot})
