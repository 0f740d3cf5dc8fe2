"""Cases parked at each step of the transfer flow over HTTP, and driven on to the end from
wherever they are, on whichever version their process names: the citizens by the
manual's labels, the inspector on the visit's own page."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.test import Client, modify_settings, override_settings
from viewflow.workflow.status import STATUS

from cases.models import Case
from tests.support.clients import logged_in
from tests.support.factories import UserFactory
from tests.support.pages import Page
from tests.support.transfer_driver import A, CitizenDriver, post_button
from workflows.models import CaseTask

APP = "tests.flows.versions.transfer_v2_app"
V1 = "flows.transfer_flow.TransferFlow"
V2 = f"{APP}.transfer_v2.TransferV2Flow"
# Version 1's people's steps, in the order a case reaches them.
V1_STEPS = ["apartment", "documents", "appointment", "confirm", "inspection", "fees", "issuance"]
LEGAL = "تأیید می‌کنم آپارتمان در رهن، توقیف یا دعوای حقوقی نیست."
OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


@contextlib.contextmanager
def deployed():
    """Version 2 deployed beside version 1: its app installed, FLOW_VERSIONS listing it,
    the flows mounted again (as a restart would)."""
    import_module(settings.ROOT_URLCONF)  # the site's own, from version 1 alone, first
    versions = {**settings.FLOW_VERSIONS, "transfer": [V1, V2]}
    with modify_settings(INSTALLED_APPS={"append": APP}), \
            override_settings(FLOW_VERSIONS=versions, ROOT_URLCONF="tests.flows.versions.urls"):
        yield


@dataclass
class Parked:
    case: Case
    driver: CitizenDriver
    phone: str
    at: str

    def open_task(self) -> CaseTask | None:
        return (CaseTask.objects.filter(process__caseprocess__case=self.case, status__in=OPEN)
                .order_by("-pk").first())

    def page(self):
        task = self.open_task()
        return self.driver.client.get(task.reverse("execute"))

    def finish(self) -> Case:
        """Every remaining step, as its person does it, until nothing is open."""
        for _ in range(12):
            task = self.open_task()
            if task is None:
                break
            STEPS[task.flow_task.name](self, task)
        else:
            raise AssertionError(f"case {self.case.pk} did not finish")
        self.case.refresh_from_db()
        return self.case


def start(n: int) -> Parked:
    """A new citizen's case, on whichever version the services page starts: at its first
    step after the commitments. `n` gives the citizen a contact phone of their own (codes
    are limited per phone)."""
    person = UserFactory()
    driver = CitizenDriver(logged_in(person.username))
    driver.step(driver.open_services(), "گام بعدی", {"تأیید": True})
    return Parked(Case.objects.filter(citizen=person).latest("pk"), driver, f"0935{n:07d}",
                  "apartment")


def park(at: str, n: int) -> Parked:
    """A case of a new citizen, waiting at the step `at`."""
    parked = start(n)
    parked.at = at
    for _ in range(12):
        task = parked.open_task()
        if task.flow_task.name == at:
            return parked
        STEPS[task.flow_task.name](parked, task)
    raise AssertionError(f"never reached {at}")


def apartment(p: Parked, task) -> None:
    r = p.driver.step(p.page(), "جستجو", {"کدنوسازی": A[0], "شماره درخواست یا گواهی": A[1]},
                      expect=(200,))
    p.driver.step(r, "گام بعدی")


def documents(p: Parked, task) -> None:
    p.driver.step(p.driver.upload_documents(p.page()), "گام بعدی")


def appointment(p: Parked, task) -> None:
    p.driver.step(p.driver.pick_time_and_verify(p.page(), p.phone), "گام بعدی")


def confirm(p: Parked, task) -> None:
    p.driver.step(p.page(), "تایید و ثبت")


def inspection(p: Parked, task) -> None:
    client: Client = logged_in(task.owner.username)
    visit = client.get(task.reverse("execute"))
    assert visit.status_code == 200, visit.status_code
    done = post_button(client, visit, "ثبت نتیجه بازدید", {"تأیید": True})
    assert done.status_code == 302, Page.of(done).text[:600]


def fees(p: Parked, task) -> None:
    p.driver.step(p.page(), "گام بعدی")


def issuance(p: Parked, task) -> None:
    p.driver.step(p.page(), "صدور گواهی با امکان چاپ")


def legal_review(p: Parked, task) -> None:
    p.driver.step(p.page(), "گام بعدی", {LEGAL: True})


STEPS = {"apartment": apartment, "documents": documents, "appointment": appointment,
         "confirm": confirm, "inspection": inspection, "fees": fees, "issuance": issuance,
         "legal_review": legal_review}
