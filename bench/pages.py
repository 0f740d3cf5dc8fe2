"""Section 2 (and 5): every citizen wizard page and staff page under load in gunicorn.

A wizard page exists only while a case waits at that step, so one transfer and one
inquiry case are walked through the flow with the test client (as tests/support/transfer_driver.py
does) and parked at each page while wrk loads it with the owner's session; then the walk
goes on. The baselines, in the same gunicorn and measured around the pages: /bench/hello/
(a Django view through the whole middleware stack) and /bench/bare/ (a Django view with no
middleware and no database, bench/wsgi.py), and the reference page (a plain Django page
signed in: bench/urls.py); and before each run of a page, hello beside it (anonymous, and
with the page's cookie) and the reference page, which its ratios are taken against.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings

from bench import load, server, serving_cpu
from bench.stats import median, ratio

MIN_REQUESTS = 20
LONG_RUN_SECONDS = 10
# Each page run is preceded by baseline runs this long (hello anonymous; with the page's
# own cookie when it has one, hello and the reference page): its ratios are taken against
# those measured beside it, so a machine that speeds up or slows down during the run
# moves both alike.
BESIDE_SECONDS = 1
HELLO, REFERENCE = "/bench/hello/", "/bench/reference/"
# A CSRF secret as Django makes them (32 letters and digits): the cookie a browser keeps.
BROWSER_CSRF_SECRET = "BrowserKeptCsrfSecretForTheBench"


DIAGRAM_PAGES = "/staff/dashboard/"


def is_diagram_page(path: str) -> bool:
    """Pages that load bpmn-js's viewer: weighed too, against their own budget."""
    return path.startswith(DIAGRAM_PAGES)


class Measurer:
    def __init__(self, base: str, size: dict, web_pid: int, browser=None):
        self.base, self.size, self.web_pid, self.browser = base, size, web_pid, browser
        self.pages: list[dict] = []

    def __call__(self, group: str, name: str, path: str, session: str | None) -> None:
        cookie = signed_in_cookie(session) if session else None
        status = load.status_of(self.base + path, cookie)
        row = {"group": group, "name": name, "path": path, "status": status, "runs": [],
               "beside": {"hello": [], "shell": [], "reference": []}}
        if status == 200:
            for _ in range(self.size["page_repeats"]):
                self._beside(row["beside"], cookie)
                row["runs"].append(self._wrk(path, cookie))
            if self.browser is not None and (group == "citizen" or is_diagram_page(path)) and (
                    self.size["walk"] == "full" or not any("weight" in p for p in self.pages)):
                row["weight"] = self.browser.measure(self.base, path, session)
        print(f"bench:   {group} {name} {path} → {status}", file=sys.stderr, flush=True)
        self.pages.append(row)

    def _wrk(self, path: str, cookie: str | None) -> dict:
        """A run too short to complete a handful of requests is run again, longer, since
        a slow page on a busy machine would otherwise report nothing at all."""
        seconds = self.size["page_seconds"]
        run = self._metered(self.base + path, seconds, cookie)
        if run["requests"] < MIN_REQUESTS:
            run = self._metered(self.base + path, max(seconds, LONG_RUN_SECONDS), cookie)
        return run

    def _beside(self, beside: dict[str, list[dict]], cookie: str | None) -> None:
        """The baselines right before a page's run: hello anonymous (the targets' baseline)
        and, for a signed-in page, hello with its cookie (the shell the page runs in: its
        session and user read) and the reference page with it."""
        hello = self._metered(self.base + HELLO, BESIDE_SECONDS, None)
        beside["hello"].append(hello)
        if cookie:
            beside["shell"].append(self._metered(self.base + HELLO, BESIDE_SECONDS, cookie))
            beside["reference"].append(self._metered(self.base + REFERENCE, BESIDE_SECONDS,
                                                     cookie))
        else:
            beside["shell"].append(hello)

    def _metered(self, url: str, seconds: int, cookie: str | None) -> dict:
        """One wrk run with the serving processes' CPU time per request beside it."""
        before = serving_cpu.sample(self.web_pid)
        run = load.wrk(url, seconds, cookie)
        spent = serving_cpu.per_request_ms(before, serving_cpu.sample(self.web_pid),
                                           run["requests"])
        return {**run, **(spent or {})}

    def baselines(self, session: str) -> dict[str, list[dict]]:
        """hello, bare, hello signed in (what the stack adds for a person: session, user,
        role) and the reference page (signed in) in turns, so a busy moment of the machine
        weighs on all four."""
        runs: dict[str, list[dict]] = {"hello": [], "bare": [], "hello_signed_in": [],
                                       "reference": []}
        cookie = signed_in_cookie(session)
        cookies = {"hello_signed_in": cookie, "reference": cookie}
        for _ in range(self.size["page_repeats"]):
            for name in runs:
                url = f"{self.base}/bench/{name.removesuffix('_signed_in')}/"
                runs[name].append(self._metered(url, self.size["page_seconds"],
                                                cookies.get(name)))
        return runs


def signed_in_cookie(session: str) -> str:
    """What a signed-in browser sends: its session and the CSRF cookie its first page set.
    Without the latter every page that prints a form would make a new CSRF secret and set
    it (a first visit's cost, not a page's)."""
    return f"sessionid={session}; {settings.CSRF_COOKIE_NAME}={BROWSER_CSRF_SECRET}"


def _session(client) -> str:
    return client.cookies["sessionid"].value


def _path(response) -> str:
    return response.wsgi_request.get_full_path()


def walk_transfer(fixture, visit, short: bool = False) -> None:
    from cases.models import Case
    from tests.support.pages import Page
    from tests.support.transfer_driver import CitizenDriver, post_button

    from bench.engine import _client, _pay

    client = _client(fixture.username)
    session = _session(client)
    driver = CitizenDriver(client)
    for name, path in (("خانه", "/"), ("خدمات اختصاصی", "/services/"),
                       ("درخواست انتقال", "/services/transfer/")):
        visit("citizen", name, path, session)
    r = driver.open_services()
    visit("citizen", "transfer: تعهدات", _path(r), session)
    r = driver.step(r, "گام بعدی", {"تأیید": True})
    visit("citizen", "transfer: انتخاب آپارتمان", _path(r), session)
    if short:
        return
    r = driver.step(r, "جستجو", {"کدنوسازی": fixture.renovation_code,
                                 "شماره درخواست یا گواهی": fixture.request_number}, expect=(200,))
    r = driver.step(r, "گام بعدی")
    visit("citizen", "transfer: بارگذاری مدارک", _path(r), session)
    r = driver.step(driver.upload_documents(r), "گام بعدی")
    visit("citizen", "transfer: انتخاب کارشناس بازدید", _path(r), session)
    r = driver.step(driver.pick_time_and_verify(r, fixture.phone), "گام بعدی")
    visit("citizen", "transfer: تایید و ثبت", _path(r), session)
    r = driver.step(r, "تایید و ثبت")
    visit("citizen", "transfer: شماره پیگیری", _path(r), session)
    case = Case.objects.filter(citizen__username=fixture.username).latest("pk")
    inspector = _client(case.appointments.get().slot.inspector.username)
    staff_session = _session(inspector)
    visit("staff", "بازدیدهای من", "/staff/visits/", staff_session)
    inbox = Page.of(inspector.get("/staff/visits/"))
    marker = f"/{case.process.pk}/"
    url = next(a.attrs["href"] for a in inbox.links if marker in a.attrs.get("href", ""))
    visit("staff", "ثبت نتیجه بازدید", url, staff_session)
    post_button(inspector, inspector.get(url), "ثبت نتیجه بازدید", {"تأیید": True})
    visit("citizen", "درخواست های پیشین", "/services/requests/", session)
    status = client.get(Page.of(client.get("/services/requests/")).link("آخرین وضعیت"))
    visit("citizen", "آخرین وضعیت", _path(status), session)
    fees = client.get(Page.of(status).link("گام بعدی"))
    visit("citizen", "transfer: عوارض نوسازی", _path(fees), session)
    r = driver.step(_pay(driver, fees), "گام بعدی")
    visit("citizen", "transfer: صدور گواهی", _path(r), session)
    r = driver.step(r, "صدور گواهی با امکان چاپ")
    visit("citizen", "transfer: بایگانی دائم", _path(r), session)


def walk_inquiry(fixture, visit) -> None:
    from tests.support.files import jpeg_with_gps, upload
    from tests.support.inquiry_driver import LETTER, InquiryDriver

    from bench.engine import _client, _pay

    client = _client(fixture.username)
    session = _session(client)
    driver = InquiryDriver(client)
    r = driver.open_inquiry()
    visit("citizen", "inquiry: تعهدات", _path(r), session)
    r = driver.step(r, "گام بعدی", {"تمامی موارد فوق مورد تأیید است": True})
    visit("citizen", "inquiry: انتخاب ملک", _path(r), session)
    r = driver.step(r, "استعلام", {"کدنوسازی": fixture.renovation_code,
                                   "شماره درخواست": fixture.request_number}, expect=(200,))
    r = driver.step(r, "گام بعدی")
    visit("citizen", "inquiry: بررسی سوابق", _path(r), session)
    r = driver.step(r, "گام بعدی")
    visit("citizen", "inquiry: بارگذاری مدارک", _path(r), session)
    r = driver.step(r, "تایید و ارسال", LETTER,
                    files={"kind_0": "inquiry_letter", "file_0": upload("l.jpg", jpeg_with_gps())},
                    expect=(200,))
    r = driver.step(r, "گام بعدی")
    visit("citizen", "inquiry: تسویه عوارض", _path(r), session)
    r = driver.step(_pay(driver, r), "ثبت درخواست و صدور")
    visit("citizen", "inquiry: صدور پاسخ", _path(r), session)


def other_staff_pages(visit, seen: set[str]) -> None:
    """Every other parameterless staff page the URLconf has (the staff workspace grows)."""
    from tests.support.urlconf_walk import leaf_patterns

    from bench.engine import _client

    sessions = {name: _session(_client(name)) for name in ("supervisor", "inspector", "clerk")}
    for pattern in leaf_patterns():
        if not pattern.route.startswith("staff/") or pattern.parameters or pattern.is_regex:
            continue
        path = "/" + pattern.route
        if path in seen:
            continue
        for name, session in sessions.items():
            if load.status_of(visit.base + path, f"sessionid={session}") == 200:
                visit("staff", f"{pattern.name or path} ({name})", path, session)
                break
        else:
            visit("staff", pattern.name or path, path, sessions["supervisor"])


def run(spare, workdir: Path, size: dict, weight: bool = True, collect: bool = False) -> dict:
    if not load.available():
        raise RuntimeError("wrk is not installed (Debian package `wrk`)")
    from bench import weight as weight_module

    static_root = workdir / "static"
    # collectstatic compresses every app's files (viewflow ships ~140 MB): minutes on a
    # shared 2-core machine, so only on request (--collectstatic).
    manifest = server.collectstatic(static_root) if collect else False
    from django.conf import settings

    result = {"server": f"gunicorn {server.WORKERS} sync workers (one request at a time each, "
                        "as config/gunicorn.conf.py deploys: threads 1)",
              "connections": load.CONNECTIONS, "static_manifest": manifest,
              "sessions": settings.SESSION_ENGINE}
    with server.Gunicorn(static_root if manifest else None, workdir / "gunicorn.log",
                         threads=1) as web:
        browser_cm = weight_module.Browser() if weight and weight_module.available() else None
        browser = browser_cm.__enter__() if browser_cm else None
        try:
            measure = Measurer(web.base, size, web.process.pid, browser)
            from bench.engine import _client

            signed_in = _session(_client(spare[0].username))
            baselines = measure.baselines(signed_in)
            for name, path in (("ورود", "/accounts/login/"), ("استعلام اصالت", "/verify/")):
                measure("citizen", name, path, None)
            short = size["walk"] == "short"
            walk_transfer(spare[0], measure, short=short)
            if not short:
                walk_inquiry(spare[1], measure)
            other_staff_pages(measure, {p["path"] for p in measure.pages})
            supervisor = _session(_client("supervisor"))
            # The dashboards read the summary the worker's beat keeps (at most
            # STAFF_SUMMARY_REFRESH_SECONDS old): brought up to date as it would be, or they
            # would count every event of the run live and show no open tasks.
            from staff.summary import refresh

            refresh()
            for flow in ("transfer", "inquiry"):
                measure("staff", f"staff:dashboard {flow} (supervisor)",
                        f"{DIAGRAM_PAGES}{flow}/", supervisor)
            for name, runs in measure.baselines(signed_in).items():
                baselines[name] += runs
        finally:
            if browser_cm:
                browser_cm.__exit__(None, None, None)
    hello, bare = baselines["hello"], baselines["bare"]
    base_rps = median(h["rps"] for h in hello)
    base_cpu, bare_cpu = _cpu(hello), _cpu(bare)
    base_p95 = median(h["p95_ms"] for h in hello)
    bare_rps = median(b["rps"] for b in bare)
    for page in measure.pages:
        if page["runs"]:
            summarise(page, base_cpu, base_rps, bare_rps, base_p95)
    result.update(hello=hello, hello_rps=base_rps, hello_p95_ms=base_p95,
                  hello_p50_ms=median(h["p50_ms"] for h in hello),
                  hello_p99_ms=median(h["p99_ms"] for h in hello), bare=bare,
                  bare_rps=bare_rps, bare_p50_ms=median(b["p50_ms"] for b in bare),
                  bare_p95_ms=median(b["p95_ms"] for b in bare),
                  bare_p99_ms=median(b["p99_ms"] for b in bare),
                  hello_bare_ratio=ratio(base_rps, bare_rps), hello_cpu_ms=base_cpu,
                  bare_cpu_ms=bare_cpu, hello_bare_cpu_ratio=ratio(bare_cpu, base_cpu),
                  hello_signed_in_cpu_ms=_cpu(baselines["hello_signed_in"]),
                  hello_signed_in=baselines["hello_signed_in"], pages=measure.pages,
                  reference_cpu_ms=_cpu(baselines["reference"]),
                  reference=baselines["reference"],
                  browser=browser is not None)
    return result


def summarise(page: dict, base_cpu: float, base_rps: float, bare_rps: float,
              base_p95: float) -> None:
    """A page's medians over its runs and its ratios: by CPU against the hello measured
    beside it (the run's hello when there was none), the run's hello kept for reference."""
    answered = [r for r in page["runs"] if r["requests"]]  # wrk's 0s mean "none"
    page["rps"] = median(r["rps"] for r in page["runs"])
    for q in ("p50_ms", "p95_ms", "p99_ms"):
        page[q] = median(r[q] for r in answered) if answered else None
    page["errors"] = sum(r["errors"] for r in page["runs"])
    page["rps_ratio"] = ratio(page["rps"], base_rps)
    page["rps_bare_ratio"] = ratio(page["rps"], bare_rps)
    page["p95_ratio"] = ratio(page["p95_ms"], base_p95) if answered else None
    page["cpu_ms"] = _cpu(page["runs"])
    for part in ("web_cpu_ms", "db_cpu_ms", "cache_cpu_ms"):
        page[part] = median(r.get(part) for r in page["runs"])
    beside = page.get("beside") or {}
    page["hello_beside_cpu_ms"] = _cpu(beside.get("hello") or [])
    page["shell_cpu_ms"] = _cpu(beside.get("shell") or [])
    page["cpu_ratio_run"] = ratio(base_cpu, page["cpu_ms"])
    measured_beside = page["hello_beside_cpu_ms"] == page["hello_beside_cpu_ms"]
    page["cpu_ratio"] = (ratio(page["hello_beside_cpu_ms"], page["cpu_ms"]) if measured_beside
                         else page["cpu_ratio_run"])
    page["shell_ratio"] = ratio(page["shell_cpu_ms"], page["cpu_ms"])
    page["reference_cpu_ms"] = _cpu(beside.get("reference") or [])
    page["reference_ratio"] = ratio(page["reference_cpu_ms"], page["cpu_ms"])


def _cpu(runs: list[dict]) -> float:
    """The median of the runs' serving CPU per request (ms); NaN when none was read."""
    return median(r.get("cpu_ms") for r in runs)
