"""One simulated citizen of the soak: real HTTP against gunicorn, case after case.

Each case is a person of the bench fixtures logging in through the login form with a
session of their own (its own cookie jar, CSRF token from the pages' forms), then
walking the manual's labels with the tests' drivers over HTTP (tests/support/stack.py's
HttpClient). The SMS code is read from the outbox table; the visit's inspector logs in
and approves it; the sandbox bank takes the fees.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from bench.soak_analysis import Request
from cases.demo.data import DEMO_PASSWORD
from tests.support.factories import PASSWORD  # the bench fixtures' people
from tests.support.pages import Page
from tests.support.stack import BrowserSession, HttpClient

WAIT_FOR_WORKER_SECONDS = 120


class TimedSession(BrowserSession):
    """Every request's start (since the soak began), duration and status, appended to
    `records` (list.append is atomic across threads)."""

    def __init__(self, base: str, records: list[Request], epoch: float) -> None:
        super().__init__(base)
        self.records, self.epoch = records, epoch
        # gunicorn closes a kept-alive connection after 2 idle seconds; a GET sent on it
        # at that instant meets a reset, and a browser sends it again on a new one. A
        # POST is never sent twice: its reset stays an error.
        again = Retry(total=1, connect=1, read=1, status=0, other=0,
                      allowed_methods=frozenset({"GET"}), raise_on_status=False)
        self.mount("http://", HTTPAdapter(max_retries=again))

    def request(self, method, url, *args, **kwargs):
        if url.startswith("https://"):  # an address the site made for the proxy's scheme
            url = "http://" + url.removeprefix("https://")
        # One hop per record: requests.Session.get would follow redirects itself, and
        # its redirects leave out the Secure session cookie on this plain-HTTP hop.
        kwargs["allow_redirects"] = False
        started = time.monotonic()
        status = 0
        try:
            response = super().request(method, url, *args, **kwargs)
            status = response.status_code
            return response
        finally:
            path = urlsplit(url).path
            self.records.append(Request(started - self.epoch, time.monotonic() - started,
                                        status, method.upper(), path))


def orm(function: Callable, *args):
    """A query from a citizen's thread, its connection closed at once: fifty threads must
    not hold fifty PostgreSQL connections for ten minutes."""
    from django.db import connection

    try:
        return function(*args)
    finally:
        connection.close()


@dataclass
class Outcome:
    case_ids: list[int] = field(default_factory=list)
    uploads: int = 0
    failures: list[str] = field(default_factory=list)
    ran_out: bool = False  # no fixture left: the citizen stopped before the time was up


class Citizen:
    def __init__(self, base: str, records: list[Request], epoch: float) -> None:
        self.base, self.records, self.epoch = base, records, epoch
        self.staff: dict[str, HttpClient] = {}
        self.outcome = Outcome()

    def login(self, username: str) -> HttpClient:
        session = TimedSession(self.base, self.records, self.epoch)
        page = session.get("/accounts/login/")
        form = Page.of(page).form_with_button("ورود")
        data = form.data({}, button="ورود")
        # The right password at once: every citizen comes from one address, and a few
        # wrong ones would lock that address out (django-axes).
        password = PASSWORD if username.startswith("bench_") else DEMO_PASSWORD
        data.update({"username": username, "password": password})
        response = session.post("/accounts/login/", data=data)
        assert response.status_code == 302, f"{username} could not log in"
        return HttpClient(session, str(uuid.uuid4()))

    def transfer(self, fixture) -> int:
        from bench.engine import _pay
        from tests.support.transfer_driver import CitizenDriver, post_button

        driver = CitizenDriver(self.login(fixture.username))
        code = (fixture.renovation_code, fixture.request_number)
        driver.step(driver.until_confirm(code, phone=fixture.phone), "تایید و ثبت")
        self.outcome.uploads += 3
        case_id, inspector, process_id = orm(_registered, fixture.username)
        staff = self.staff.get(inspector) or self.staff.setdefault(inspector,
                                                                   self.login(inspector))
        inbox = Page.of(staff.get("/staff/visits/"))
        marker = f"/{process_id}/"
        url = next(a.attrs["href"] for a in inbox.links if marker in a.attrs.get("href", ""))
        done = post_button(staff, staff.get(url), "ثبت نتیجه بازدید", {"تأیید": True})
        assert done.status_code == 302, (done.status_code, Page.of(done).text[:400])
        fees = self._fees_page(driver.client)
        paid = until_button(driver.client, _pay(driver, fees), "گام بعدی")
        issuance = until_button(driver.client, driver.step(paid, "گام بعدی"),
                                "صدور گواهی با امکان چاپ")
        driver.step(issuance, "صدور گواهی با امکان چاپ")
        return case_id

    def _fees_page(self, client: HttpClient):
        """The status page offers the next step once the automatic steps after the visit
        have run in the worker: refreshed as a person would until it does."""
        deadline = time.monotonic() + WAIT_FOR_WORKER_SECONDS
        while True:
            listing = Page.of(client.get("/services/requests/"))
            status = client.get(listing.link("آخرین وضعیت"))
            try:
                return client.get(Page.of(status).link("گام بعدی"))
            except (KeyError, StopIteration, AssertionError, LookupError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def inquiry(self, fixture) -> int:
        from bench.engine import _pay
        from tests.support.inquiry_driver import InquiryDriver

        driver = InquiryDriver(self.login(fixture.username))
        fees = driver.until_fees((fixture.renovation_code, fixture.request_number))
        self.outcome.uploads += 1
        paid = until_button(driver.client, _pay(driver, fees), "ثبت درخواست و صدور")
        driver.step(paid, "ثبت درخواست و صدور")
        return orm(_latest_case, fixture.username)

    def run(self, fixtures, until: float) -> Outcome:
        """Transfer and inquiry in turns until `until` (monotonic); the case under way
        when time is up is finished."""
        kinds = (self.transfer, self.inquiry)
        n = 0
        while time.monotonic() < until:
            fixture = fixtures.get_nowait() if not fixtures.empty() else None
            if fixture is None:
                self.outcome.ran_out = True
                break
            kind = kinds[n % 2]
            try:
                self.outcome.case_ids.append(kind(fixture))
            except Exception as error:  # noqa: BLE001 - counted, the citizen goes on
                self.outcome.failures.append(
                    f"{kind.__name__} {fixture.username}: {type(error).__name__}: "
                    f"{str(error)[:300]}")
            n += 1
        return self.outcome


def run_group(job: tuple) -> tuple[list[Request], list[Outcome], int]:
    """`count` citizens as threads of one process, sharing its fixtures; the records,
    outcomes and how many were still in a case after the grace period. The load is made
    by a few such processes, so that fifty threads parsing pages under one interpreter
    lock do not add their wait to the latencies measured."""
    import queue
    import sys
    import threading

    base, epoch, until, grace, fixtures, count = job
    pool: queue.Queue = queue.Queue()
    for fixture in fixtures:
        pool.put(fixture)
    records: list[Request] = []
    citizens = [Citizen(base, records, epoch) for _ in range(count)]
    threads = [threading.Thread(target=c.run, args=(pool, until), daemon=True)
               for c in citizens]
    for thread in threads:
        thread.start()
    last_word = time.monotonic()
    while any(t.is_alive() for t in threads) and time.monotonic() < until + grace:
        time.sleep(1)
        if time.monotonic() - last_word >= 60:
            last_word = time.monotonic()
            print(f"soak: {last_word - epoch:.0f} s: {len(records)} requests, "
                  f"{sum(len(c.outcome.case_ids) for c in citizens)} cases, "
                  f"{sum(len(c.outcome.failures) for c in citizens)} failed here",
                  file=sys.stderr, flush=True)
    alive = sum(t.is_alive() for t in threads)
    return list(records), [c.outcome for c in citizens], alive


def until_button(client: HttpClient, response, button: str):
    """The page again, as a person presses reload, until the worker has moved the case on
    and the page offers `button`."""
    from tests.support.transfer_driver import follow

    path = response.wsgi_request.get_full_path()
    deadline = time.monotonic() + WAIT_FOR_WORKER_SECONDS
    while True:
        page = Page.of(response)
        try:
            page.form_with_button(button)
            return response
        except AssertionError:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {button!r} on {path}: {page.text[:300]}") from None
        time.sleep(1)
        response = follow(client, client.get(path))


def _registered(username: str) -> tuple[int, str, int]:
    from cases.models import Case

    case = Case.objects.filter(citizen__username=username).latest("pk")
    return case.pk, case.appointments.get().slot.inspector.username, case.process.pk


def _latest_case(username: str) -> int:
    from cases.models import Case

    return Case.objects.filter(citizen__username=username).latest("pk").pk
