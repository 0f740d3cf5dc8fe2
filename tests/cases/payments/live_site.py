"""`make run`'s site as processes, on a file SQLite database and a spare loopback port.

The payment paths' concurrency on the embedded database is a property of the real
arrangement — runserver's threads, each with its own SQLite connection, and the periodic
runner beside them — which the test client in one thread cannot show. Data is made and
read back by this module run under the site's own settings (`python -m
tests.cases.payments.live_site setup|report`), so its signatures use the site's dev key.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import requests

from tests.support.stack import PYTHON, ROOT, Process, free_port, manage, wait_until

# What pytest-env and a CI job put in the environment that `make run` does not have.
NOT_IN_MAKE_RUN = (
    "SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "STATIC_MANIFEST", "ALLOWED_HOSTS",
    "DATABASE_URL", "REDIS_URL", "CACHE_URL", "REQUIRE_SERVICES",
)
RETURN_URL = "/services/"
CSRF_SECRET = "a" * 16 + "B" * 16  # any 32 letters or digits Django accepts as a secret


def make_run_env(database: Path, port: int, tmp: Path) -> dict[str, str]:
    """The environment `make run` gives runserver and run_periodic (DEBUG=1, SITE_URL, no
    broker: tasks in-process, the sandbox bank), with the database file moved to `tmp`."""
    env = {
        k: v for k, v in os.environ.items()
        if k not in NOT_IN_MAKE_RUN and not k.startswith(("PYTEST", "DJANGO_", "CELERY_"))
    }
    env.update({
        "DEBUG": "1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite:///{database}",
        "PRIVATE_STORAGE_ROOT": str(tmp / "private"),
        "PYTHONUNBUFFERED": "1",
    })
    return env


class LiveSite:
    """Migrated database, runserver (threaded, as `make run`) and run_periodic."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = make_run_env(tmp / "db.sqlite3", self.port, tmp)
        self.processes: list[Process] = []

    def start(self) -> None:
        manage(self.env, "migrate", "--noinput")
        server = Process(
            "runserver",
            [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            self.env, self.tmp,
        )
        self.processes.append(server)
        # Beat's schedule beside it, as make run does: a second process writing to the file.
        self.processes.append(Process(
            "periodic", [PYTHON, "manage.py", "run_periodic", "--every", "30"], self.env, self.tmp,
        ))
        try:
            wait_until(lambda: requests.get(self.base + "/healthz", timeout=2).ok, 60, "runserver")
        except AssertionError:
            self.stop()
            raise AssertionError("runserver did not start:\n" + server.output()[-4000:]) from None

    def stop(self) -> None:
        for process in self.processes:
            process.stop()

    def log(self, name: str = "runserver") -> str:
        return next(p for p in self.processes if p.name == name).output()

    def run(self, command: str, **arguments) -> dict:
        """This module's `command` under the site's settings; its JSON answer."""
        result = run_in_site(self.env, command, arguments)
        return json.loads(result.stdout.strip().splitlines()[-1])

    def browser(self, session_key: str) -> requests.Session:
        """A citizen's logged-in browser, with a CSRF cookie it also sends in forms."""
        browser = requests.Session()
        browser.cookies.set("sessionid", session_key)
        browser.cookies.set("csrftoken", CSRF_SECRET)
        return browser


def run_in_site(env: dict, command: str, arguments: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [PYTHON, "-m", __name__, command, json.dumps(arguments)],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result


# --- run inside the site's settings ---------------------------------------------------


def _session_of(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def setup(paid: int, starters: int, site_url: str) -> dict:
    """`paid` debts, each with a payment its citizen paid at the sandbox bank and whose
    callback and notice have not arrived; and one debt whose property has `starters`
    cases of different citizens, nobody at the bank yet."""
    from cases.payments.services import start_payment
    from integrations.payments.sandbox import gateway as sandbox
    from tests.support.factories import CaseFactory, RenovationDebtFactory

    at_bank = []
    for _ in range(paid):
        debt = RenovationDebtFactory(amount_rials=4_500_000)
        case = CaseFactory(property=debt.property, advanced_to="inspection_approved")
        payment = start_payment(
            case, case.citizen, RETURN_URL,
            callback_url=f"{site_url}/payments/callback/",
            notify_url=f"{site_url}/payments/notify/",
        )
        sandbox.decide(payment.gateway_token, "pay")
        at_bank.append({
            "debt": debt.pk,
            "session": _session_of(case.citizen),
            "callback": sandbox.bank_decision(payment.gateway_token, "pay"),
            "notice": sandbox.bank_decision(payment.gateway_token, "pay", salt=sandbox.NOTICE_SALT),
        })
    shared = RenovationDebtFactory(amount_rials=2_000_000)
    cases = [
        CaseFactory(property=shared.property, advanced_to="inspection_approved")
        for _ in range(starters)
    ]
    return {
        "paid": at_bank,
        "shared_debt": shared.pk,
        "starters": [{"case": c.pk, "session": _session_of(c.citizen)} for c in cases],
    }


def report(debts: list[int]) -> dict:
    """Each debt's status and its payments, as the database holds them now."""
    from cases.models import CaseEvent, RenovationDebt
    from cases.payments.models import Payment

    answer = {}
    for debt in RenovationDebt.objects.filter(pk__in=debts):
        payments = Payment.objects.filter(debt=debt).order_by("pk")
        answer[str(debt.pk)] = {
            "status": debt.status,
            "reference": debt.settlement_reference,
            "payments": [
                {"status": p.status, "reference": p.reference, "refund_due": p.refund_due}
                for p in payments
            ],
            "settled_events": CaseEvent.objects.filter(
                name="payment_settled", data__debt_id=debt.pk
            ).count(),
        }
    return answer


def main() -> None:
    import django

    django.setup()
    command, arguments = sys.argv[1], json.loads(sys.argv[2])
    answer = {"setup": setup, "report": report}[command](**arguments)
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
