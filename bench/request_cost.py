"""`python -m bench.request_cost`: what the middleware stack costs a request, in-process.

CPU time (time.process_time) per request over many iterations, with no network and no
load generator, for the bare view (bench/wsgi.py: no middleware, no database), hello
anonymous and hello signed in (a citizen's session), each called through bench.wsgi's
application as gunicorn calls it; and the SQL statements each ran. The three are measured
in turns, so a busy moment of a shared machine weighs on all of them.

`--per-middleware`: hello through the first k entries of MIDDLEWARE, k = 0..all, each
entry's cost the difference from the one before (the least of the rounds, since a shared
machine only ever adds); k = 0 is Django's handler, URL resolution and the view alone.

Needs a migrated database (BENCH_DATABASE_URL, default the bench's own); it adds one user.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time

ROUNDS = 5


def _environ(path: str, cookie: str | None) -> dict:
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.multithread": True,
        "wsgi.multiprocess": True, "wsgi.run_once": False,
        "HTTP_ACCEPT_ENCODING": "gzip, deflate, br", "HTTP_ACCEPT": "text/html",
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    return environ


def _call(application, path: str, cookie: str | None) -> int:
    statuses = []
    body = application(_environ(path, cookie), lambda status, headers: statuses.append(status))
    for _chunk in body:
        pass
    if hasattr(body, "close"):
        body.close()
    return int(statuses[0].split()[0])


def _session_cookie() -> str:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench-request-cost")
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def measure(iterations: int) -> dict[str, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.wsgi import application

    cookie = _session_cookie()
    cases = {"bare": ("/bench/bare/", None), "hello (anonymous)": ("/bench/hello/", None),
             "hello (signed in)": ("/bench/hello/", cookie)}
    found = {name: {"cpu_us": [], "queries": None, "status": None} for name in cases}
    for name, (path, with_cookie) in cases.items():
        for _ in range(50):  # warm: imports, URL resolver, the session's first touch
            _call(application, path, with_cookie)
        with CaptureQueriesContext(connection) as captured:
            found[name]["status"] = _call(application, path, with_cookie)
        found[name]["queries"] = len(captured)
    for _ in range(ROUNDS):
        for name, (path, with_cookie) in cases.items():
            began = time.process_time()
            for _ in range(iterations):
                _call(application, path, with_cookie)
            found[name]["cpu_us"].append((time.process_time() - began) / iterations * 1e6)
    for row in found.values():
        row["cpu_us"] = sorted(row["cpu_us"])[len(row["cpu_us"]) // 2]
    return found


def per_middleware(iterations: int) -> list[tuple[str, float, float]]:
    """(entry, anonymous µs, signed-in µs) of hello through MIDDLEWARE[:k], k = 0..all."""
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    import bench.wsgi  # noqa: F401 — the site's URLconf and settings, as gunicorn loads them

    cookie = _session_cookie()
    entries = list(settings.MIDDLEWARE)
    handlers = []
    for k in range(len(entries) + 1):
        with override_settings(MIDDLEWARE=entries[:k]):
            handlers.append(WSGIHandler())
    cookies = (None, cookie)
    best = [[float("inf"), float("inf")] for _ in handlers]
    for handler in handlers:
        for with_cookie in cookies:
            for _ in range(50):
                _call(handler, "/bench/hello/", with_cookie)
    for _ in range(ROUNDS):
        for k, handler in enumerate(handlers):
            for column, with_cookie in enumerate(cookies):
                began = time.process_time()
                for _ in range(iterations):
                    _call(handler, "/bench/hello/", with_cookie)
                spent = (time.process_time() - began) / iterations * 1e6
                best[k][column] = min(best[k][column], spent)
    names = ["(handler, URL and view alone)", *entries]
    return [(names[k], *best[k]) for k in range(len(handlers))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.request_cost", description=__doc__)
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--per-middleware", action="store_true",
                        help="what each MIDDLEWARE entry adds to hello")
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    if args.per_middleware:
        rows = per_middleware(args.iterations)
        print(f"{'hello through … (CPU µs)':<58} {'anon':>6} {'+':>5} {'signed':>7} {'+':>5}")
        previous = (0.0, 0.0)
        for name, anonymous, signed in rows:
            print(f"{name:<58} {anonymous:6.0f} {anonymous - previous[0]:5.0f} "
                  f"{signed:7.0f} {signed - previous[1]:5.0f}")
            previous = (anonymous, signed)
        return 0
    found = measure(args.iterations)
    bare = found["bare"]["cpu_us"]
    print(f"{'request':<20} {'status':>6} {'queries':>7} {'CPU µs':>9} {'bare ÷ it':>9}")
    for name, row in found.items():
        print(f"{name:<20} {row['status']:>6} {row['queries']:>7} {row['cpu_us']:>9.1f} "
              f"{bare / row['cpu_us']:>9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
