"""Under `make run` (DEBUG=1, the embedded SQLite file, runserver's threads, the sandbox
bank, tasks in-process, the periodic runner beside it), a burst of bank callbacks and
payment starts gets no server error, and the money comes out right.

The burst is 10 callbacks — for each of 4 paid debts the citizen's browser return and the
bank's server notice at once, and 2 tampered returns — and 5 citizens pressing
پرداخت آنلاین for one shared debt, all 15 released together.
"""

from __future__ import annotations

import threading
from urllib.parse import urlencode

import pytest
import requests

from tests.cases.payments.live_site import CSRF_SECRET, RETURN_URL, LiveSite
from tests.support.pages import Page

PAID = 4
STARTERS = 5
BEING_PAID = "در حال پرداخت است"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    live = LiveSite(tmp_path_factory.mktemp("make-run"))
    live.start()
    yield live
    live.stop()


def burst(requests_to_send: list) -> list[requests.Response | Exception]:
    """Send every request from its own thread and connection, released at one moment."""
    barrier = threading.Barrier(len(requests_to_send))
    answers: list = [None] * len(requests_to_send)

    def send(index: int, request) -> None:
        try:
            barrier.wait(timeout=20)
            answers[index] = request()
        except Exception as error:  # a refused connection counts against the site too
            answers[index] = error

    threads = [threading.Thread(target=send, args=pair) for pair in enumerate(requests_to_send)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return answers


def test_callbacks_and_starts_at_once_get_no_server_error(site):
    data = site.run("setup", paid=PAID, starters=STARTERS, site_url=site.base)
    base = site.base
    jobs, kinds = [], []
    for paid in data["paid"]:
        browser = site.browser(paid["session"])
        query = urlencode(paid["callback"])
        jobs.append(lambda b=browser, q=query: b.get(
            f"{base}/payments/callback/?{q}", allow_redirects=False, timeout=60))
        kinds.append("callback")
        jobs.append(lambda form=paid["notice"]: requests.post(
            f"{base}/payments/notify/", data=form, timeout=60))
        kinds.append("notice")
    for paid in data["paid"][:2]:
        tampered = urlencode(paid["callback"] | {"amount": "4500"})
        browser = site.browser(paid["session"])
        jobs.append(lambda b=browser, q=tampered: b.get(
            f"{base}/payments/callback/?{q}", allow_redirects=False, timeout=60))
        kinds.append("tampered")
    starters = [site.browser(s["session"]) for s in data["starters"]]
    for browser, starter in zip(starters, data["starters"]):
        form = {"next": RETURN_URL, "csrfmiddlewaretoken": CSRF_SECRET}
        jobs.append(lambda b=browser, case=starter["case"], f=form: b.post(
            f"{base}/payments/start/{case}/", data=f, allow_redirects=False, timeout=60))
        kinds.append("start")
    assert kinds.count("callback") + kinds.count("notice") + kinds.count("tampered") == 10

    answers = burst(jobs)

    failures = [
        (kind, answer if isinstance(answer, Exception) else answer.status_code)
        for kind, answer in zip(kinds, answers)
        if isinstance(answer, Exception) or answer.status_code >= 500
    ]
    assert not failures, f"{failures}\n{site.log()[-6000:]}"
    codes = {kind: sorted(a.status_code for k, a in zip(kinds, answers) if k == kind)
             for kind in set(kinds)}
    assert codes == {
        "callback": [302] * PAID,
        "notice": [200] * PAID,
        "tampered": [400, 400],
        "start": [302] * STARTERS,
    }
    assert "database is locked" not in site.log() + site.log("periodic")

    # Money: every paid debt settled once, by its payment, whichever answer came first.
    paid_debts = [p["debt"] for p in data["paid"]]
    state = site.run("report", debts=[*paid_debts, data["shared_debt"]])
    for debt in paid_debts:
        debt_state = state[str(debt)]
        (payment,) = debt_state["payments"]
        assert (debt_state["status"], payment["status"]) == ("settled", "settled")
        assert debt_state["reference"] == payment["reference"] != ""
        assert debt_state["settled_events"] == 1

    # One citizen went to the bank; the other four were told it is being paid, and nobody's
    # attempt was expired by another's.
    to_bank = [a for k, a in zip(kinds, answers) if k == "start"
               and a.headers["Location"].startswith("/bank/pay/")]
    assert len(to_bank) == 1
    shared = state[str(data["shared_debt"])]
    assert [p["status"] for p in shared["payments"]] == ["redirected"]
    told = [
        Page(browser.get(f"{base}{RETURN_URL}", timeout=30).text).has(BEING_PAID)
        for browser in starters
    ]
    assert sorted(told) == [False] + [True] * (STARTERS - 1)
