"""The database restarts while the site serves: requests fail cleanly with the Persian
«try again» page, then the same gunicorn workers recover on their own."""

from __future__ import annotations

import subprocess

import requests

from tests.support.stack import login, production_env, start_gunicorn, wait_until

PROXY = {"X-Forwarded-Proto": "https"}


def workers_of(process) -> set[str]:
    return set(subprocess.run(["pgrep", "-P", str(process.popen.pid)],
                              capture_output=True, text=True).stdout.split())


def test_database_restart_mid_run(servers):
    postgres = servers["postgres"]
    tmp = servers["tmp"] / "db-restart"
    tmp.mkdir()
    env = production_env(postgres.url, servers["redis"].url, tmp, CONN_MAX_AGE="600")
    web, base = start_gunicorn(env, tmp, workers=2)
    try:
        citizen = login(base)
        for _ in range(4):  # both workers now hold a persistent connection
            assert citizen.get("/services/").status_code == 200
        before = workers_of(web)

        postgres.stop("fast")
        down = citizen.get("/services/")
        assert down.status_code == 503
        assert down.headers["Retry-After"] == "30"
        assert "سامانه موقتاً در دسترس نیست" in down.text and 'dir="rtl"' in down.text
        assert "Traceback" not in down.text
        # An anonymous page that must read a table (the home page may be served from cache).
        anonymous = requests.get(base + "/s/abcdefg/", headers=PROXY, timeout=10)
        assert anonymous.status_code == 503
        assert requests.get(base + "/healthz", timeout=5).status_code == 200
        ready = requests.get(base + "/readyz", timeout=10)
        assert ready.status_code == 503 and ready.json()["checks"]["database"]["ok"] is False

        postgres.start()
        wait_until(lambda: requests.get(base + "/readyz", timeout=10).ok, 30, "readiness")
        for _ in range(6):  # every worker's broken connection is replaced
            page = citizen.get("/services/")
            assert page.status_code == 200, page.text[:300]
        assert web.popen.poll() is None and workers_of(web) == before  # nothing restarted
        assert '"level": "ERROR"' in web.output()  # the outage was logged
    finally:
        web.stop()
