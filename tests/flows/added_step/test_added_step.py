"""Adding a step is three files: a node, a step view, a template.

The test app `oath_app` holds exactly those three, as a newcomer writes them:
`transfer_flow.py` (flows/transfer_flow.py with «اقرارنامه مالک» between عوارض نوسازی
and صدور گواهی, the node wired with `.Next(...)`), `owner_oath.py` (the step's view, as
workflows/steps/ holds them) and `jinja2/wizard/owner_oath.html`. Nothing else: no
apps.py (Django gives an app without one a default config) and no __init__.py (a folder
without one is a namespace package, which Django installs like any other). The copy gets
its own class name, and so its own URL namespace (`oathtransfer`): viewflow names a
flow's URLs after its class, and the real transfer flow is mounted beside it. viewflow
keeps no list of flows to register the copy in: a task stores its node as
`app_label/module.Class.node` and reads it back through Django's app registry, which is
why the app is installed.

The test installs the app, mounts the copy with the project's own `engine_urls` under a
test URLconf (urls.py here: the site's URLs plus the copy's), drives a case to the new
step as a citizen, and finds the step everywhere the flow is read, without any other
file naming it: the stepper, the staff case page, the staff CSV export, the timeline.
The step is placed after the inspector's visit because only a registered case is the
municipality's: staff pages show no drafts, so a step before تایید و ثبت could not be
looked for there.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import modify_settings, override_settings
from django.urls import reverse
from viewflow.workflow.status import STATUS

from cases.models import Case
from flows.transfer_flow import TransferFlow
from tests.support.pages import Page
from tests.support.transfer_driver import A, CitizenDriver, inspector_decides, logged_in

from .oath_app.owner_oath import NOT_DECLARED
from .oath_app.transfer_flow import OathTransferFlow

pytestmark = pytest.mark.django_db(transaction=True)  # the automatic steps run on commit

APP = "tests.flows.added_step.oath_app"
NEW_STEP = "اقرارنامه مالک"
DECLARATION = "اقرار می‌کنم مالک این آپارتمان یا وکیل او هستم و اطلاعات داده‌شده درست است."
STEPPER = ["تعهدات", "انتخاب آپارتمان", "بارگذاری مدارک", "انتخاب کارشناس بازدید",
           "تایید و ثبت", "عوارض نوسازی", NEW_STEP, "صدور گواهی"]


def edges(flow_class) -> set[tuple[str, str]]:
    return {(edge.src.name, edge.dst.name)
            for node in flow_class.instance.nodes() for edge in node._outgoing()}


def test_the_copy_is_the_transfer_flow_with_one_step_more():
    """The copy differs from flows/transfer_flow.py by the new node alone, so what the
    other test finds is what the same edit to the real flow gives."""
    titles = {node.name: node.task_title for node in TransferFlow.instance.nodes()}
    copied = {node.name: node.task_title for node in OathTransferFlow.instance.nodes()}
    assert copied == {**titles, "owner_oath": NEW_STEP}
    assert edges(OathTransferFlow) == (edges(TransferFlow) - {("fees", "issuance")}
                                       | {("fees", "owner_oath"), ("owner_oath", "issuance")})


@pytest.fixture
def site(demo):
    """The test app installed (its templates and its flow's stored references need it)
    and its flow mounted."""
    with modify_settings(INSTALLED_APPS={"append": APP}), \
            override_settings(ROOT_URLCONF="tests.flows.added_step.urls"):
        yield


def at_the_new_step(driver: CitizenDriver):
    """A case registered in the copied flow, visited, its fees settled: at the new step."""
    client = driver.client
    r = client.get(reverse("oathtransfer:start:execute"))
    r = driver.step(r, "گام بعدی", {"تأیید": True})
    r = driver.step(r, "جستجو", {"کدنوسازی": A[0], "شماره درخواست یا گواهی": A[1]},
                    expect=(200,))
    r = driver.step(r, "گام بعدی")
    r = driver.step(driver.upload_documents(r), "گام بعدی")
    r = driver.step(driver.pick_time_and_verify(r), "گام بعدی")
    driver.step(r, "تایید و ثبت")
    case = Case.objects.get(citizen__username="citizen")
    inspector_decides(case)
    status = Page.of(client.get(reverse("portal:case_status", args=[case.pk])))
    fees = client.get(status.link("گام بعدی"))
    assert Page.of(fees).has("این کدنوسازی فاقد بدهی می باشد")
    return case, driver.step(fees, "گام بعدی")


def stepper_of(response) -> list[tuple[str, bool]]:
    """The stepper as the page shows it: each step's label, and whether it is current."""
    stepper = re.search(r'<ol class="stepper".*?</ol>', response.content.decode(), re.S).group()
    return [(label.strip(), 'aria-current="step"' in attrs)
            for attrs, label in re.findall(r"<li([^>]*)>(.*?)</li>", stepper, re.S)]


def step_entry(supervisor, case: Case):
    """The new step's entry on the staff case page, and the page."""
    page = supervisor.get(reverse("staff:case", args=[case.pk]))
    assert page.status_code == 200
    entry, = [e for e in page.context["timeline"] if e.title == f"گام: {NEW_STEP}"]
    assert Page.of(page).has(f"گام: {NEW_STEP}")
    return entry


def exported_step(supervisor, case: Case) -> str:
    response = supervisor.get(reverse("staff:search"),
                              {"q": case.tracking_number, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(
        b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["شماره پیگیری"] for row in rows] == [case.tracking_number]
    return rows[0]["گام"]


def test_a_step_added_to_the_flow_is_everywhere_the_flow_is_read(site):
    citizen = CitizenDriver(logged_in("citizen"))
    supervisor = logged_in("supervisor")
    case, page = at_the_new_step(citizen)
    oath_url = page.wsgi_request.path

    # (1) The stepper: between its neighbours, the steps before it done.
    assert page.status_code == 200 and Page.of(page).has(NEW_STEP)
    assert stepper_of(page) == [(label, label == NEW_STEP) for label in STEPPER]
    assert [s["label"] for s in page.context["steps"] if s["done"]] == STEPPER[:6]

    # (2) Staff: the case page names the step the case waits at.
    assert step_entry(supervisor, case).details[0] == "سپرده شده"
    # (3) The CSV export of the staff search says where the case waits.
    assert exported_step(supervisor, case) == NEW_STEP

    # The step's own rule: not without the declaration, and nothing moves.
    refused = citizen.step(page, "گام بعدی", expect=(400,))
    assert Page.of(refused).has(NOT_DECLARED)
    oath = case.process.task_set.get(flow_task=OathTransferFlow.owner_oath)
    assert oath.status == STATUS.ASSIGNED

    # Completing it moves the case on to the next step of the flow.
    issuance = citizen.step(refused, "گام بعدی", {DECLARATION: True})
    assert Page.of(issuance).form_with_button("صدور گواهی با امکان چاپ")
    assert ("صدور گواهی", True) in stepper_of(issuance)
    assert exported_step(supervisor, case) == "صدور گواهی"

    # (4) The timeline: the step done, by the citizen.
    entry = step_entry(supervisor, case)
    assert entry.details[0] == "انجام شد" and entry.actor == "مریم احمدی"

    # The task-URL guards came with it: the done step's page sends the citizen on.
    again = citizen.client.get(oath_url)
    assert again.status_code == 302 and again["Location"] == issuance.wsgi_request.path
