"""Every task URL refuses every task but its own: enumerated, not hand-picked.

A case is parked at every node of both flows that can hold an open task: each human
step (assigned to its citizen or inspector), each automatic Handle (waiting), and each
gateway or function in ERROR. Its task's id is then sent to every task URL pattern of
both flows that is not its own node's — read from the URLconf, so a node added later is
attacked without anyone listing it — and to its own node's patterns with another process
of the same citizen in the URL. Each is requested as the case's citizen, as an inspector
and as a supervisor, by GET and by POST with every action the step views know.

Each request goes to the resolved view (login, the task guard, viewflow's wrapper and
the step view: everything the URL serves) without the middleware around it, so the
23,256 requests fit in CI; one parked case is also walked through the whole stack.
Expected: the case's citizen is sent to the case's current step (GET) or gets 409 (POST);
anyone else 404; and nothing in the database changes.
"""

from __future__ import annotations

import itertools
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import resolve
from viewflow.workflow import flow
from viewflow.workflow.status import STATUS

from cases.appointments.models import Appointment
from cases.documents.models import CaseDocument
from cases.models import Case, CaseEvent, Property
from cases.payments.models import Payment
from flows.inquiry_flow import InquiryFlow
from flows.transfer_flow import TransferFlow
from integrations.sms.models import OutboxMessage
from tests.support.urlconf_walk import LeafPattern, leaf_patterns
from workflows.models import CaseProcess, CaseTask
from workflows.nodes import InspectionStep
from workflows.steps.confirm import ConfirmView
from workflows.steps.documents import DocumentsView
from workflows.steps.inquiry_fees import InquiryFeesView
from workflows.steps.inspection import InspectionView
from workflows.wizard import StepView, next_url

pytestmark = pytest.mark.django_db

FLOWS = (TransferFlow, InquiryFlow)
ROLES = ("citizen", "inspector", "supervisor")


# Submit fields a step page reads besides `action` (its buttons' names): «تغییر» leads
# back to a step, a document's «حذف», the inspector's result.
OTHER_SUBMITS = {
    ConfirmView: [{"goto": "apartment"}],
    InquiryFeesView: [{"goto": "documents"}],
    DocumentsView: [{"remove_document": "1"}],
    InspectionView: [{"result": "approved"}, {"result": "cancelled", "reason": "آزمون"}],
}
# viewflow's own task pages (undo, cancel, revive, detail…) act on any POST: their forms
# have no fields.
ENGINE_POSTS = [{}]


def posts_for(leaf: LeafPattern, node) -> list[dict]:
    """Every POST the view at this pattern knows: for a step page, «گام بعدی», «گام
    قبلی», each of its in-page actions (its `action_*` methods) and its other buttons."""
    if not (isinstance(node, flow.View) and leaf.name.endswith(":execute")):
        return ENGINE_POSTS
    view = node._view.view_class
    posts = [{"action": "next"}, {"action": "back"}] if issubclass(view, StepView) else [{}]
    posts += [{"action": name[len("action_"):]} for name in dir(view) if name.startswith("action_")]
    extras = [submits for cls, submits in OTHER_SUBMITS.items() if issubclass(view, cls)]
    return posts + [submit for submits in extras for submit in submits]


def parkable(node) -> str | None:
    """The status a task of this node can be left open in, or None."""
    if isinstance(node, (flow.Start, flow.End)):
        return None
    if isinstance(node, flow.View):
        return STATUS.ASSIGNED
    if isinstance(node, flow.Handle):
        return STATUS.NEW  # waiting for its automatic run
    return STATUS.ERROR  # a gateway or function that failed


PARKED = [(flow_class, node) for flow_class in FLOWS for node in flow_class.instance.nodes()
          if parkable(node)]


def task_patterns() -> list[tuple[LeafPattern, object]]:
    """(pattern, its node) for every URL pattern of both flows that names a task."""
    found = []
    for leaf in leaf_patterns():
        if {"process_pk", "task_pk"} <= set(leaf.parameters):
            flow_name, node_name = leaf.name.split(":")[:2]
            flow_class = {"transfer": TransferFlow, "inquiry": InquiryFlow}[flow_name]
            found.append((leaf, flow_class.instance.node(node_name, no_obsolete=True)))
    return found


def park(flow_class, node, citizen, inspector) -> CaseTask:
    case = Case.objects.create(service=flow_class.service, citizen=citizen,
                               property=Property.objects.order_by("pk").first())
    process = CaseProcess.objects.create(flow_class=flow_class, case=case)
    CaseTask.objects.create(process=process, flow_task=flow_class.start, status=STATUS.DONE,
                            owner=citizen)
    status = parkable(node)
    owner = None
    if status == STATUS.ASSIGNED:
        owner = inspector if isinstance(node, InspectionStep) else citizen
    return CaseTask.objects.create(process=process, flow_task=node, status=status, owner=owner)


def snapshot() -> tuple:
    return (
        list(CaseTask.objects.order_by("pk").values_list("pk", "status", "owner_id", "finished")),
        list(CaseProcess.objects.order_by("pk").values_list("pk", "status", "data", "finished")),
        list(Case.objects.order_by("pk").values_list(
            "pk", "status", "tracking_number", "property_id", "applicant_role", "letter_number",
            "contact_phone", "cancel_reason")),
        [model.objects.count() for model in (CaseEvent, CaseDocument, Appointment, Payment,
                                             OutboxMessage)],
    )


class DirectClient:
    """Requests straight to the resolved view, as `user`, with a session and messages."""

    def __init__(self, user):
        self.user = user
        self.factory = RequestFactory()
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def request(self, method: str, path: str, data: dict | None = None,
                match=None) -> tuple[int, str]:
        request = (self.factory.get(path) if method == "GET"
                   else self.factory.post(path, data or {}))
        request.user = self.user
        request.session = self.session_store()
        request._messages = FallbackStorage(request)
        match = match or resolve(path)
        request.resolver_match = match
        try:
            response = match.func(request, *match.args, **match.kwargs)
        except Http404:
            return 404, ""
        except PermissionDenied:
            return 403, ""
        return response.status_code, response.get("Location", "")


@pytest.fixture
def people(demo):
    users = get_user_model().objects
    return {role: users.get(username=role) for role in ROLES}


@pytest.mark.parametrize(("flow_class", "node"), PARKED,
                         ids=[f"{f.service}.{n.name}" for f, n in PARKED])
def test_a_parked_task_is_refused_by_every_other_task_url(people, flow_class, node):
    patterns = task_patterns()  # loads the URLconf, which task URLs are reversed with
    citizen = people["citizen"]
    task = park(flow_class, node, citizen, people["inspector"])
    other = park(flow_class, node, citizen, people["inspector"]).process
    case = task.process.case
    clients = {role: DirectClient(user) for role, user in people.items()}
    current = next_url(case, citizen)
    before = snapshot()
    sent = 0

    for leaf, url_node in patterns:
        own_node = url_node is node
        process = other if own_node else task.process
        citizens_step = next_url(process.case, citizen) if own_node else current
        path = leaf.build_path(process_pk=process.pk, task_pk=task.pk)
        match = resolve(path)
        requests = [("GET", None), *(("POST", post) for post in posts_for(leaf, url_node))]
        for role, (method, data) in itertools.product(ROLES, requests):
            status, location = clients[role].request(method, path, data, match)
            sent += 1
            if role != "citizen":
                expected = (404, "")
            elif method == "GET":
                expected = (302, citizens_step)
            else:
                expected = (409, "")
            assert (status, location) == expected, (role, method, data, path)

    # Compared once, after all of them: refusals write nothing, and a write by any one
    # of them would still be there.
    assert snapshot() == before

    assert sent == sum(len(ROLES) * (1 + len(posts_for(*p))) for p in patterns)


def test_the_whole_stack_refuses_as_the_resolved_views_do(people):
    """One parked case through every middleware: the same answers as the matrix's."""
    patterns = task_patterns()
    citizen = people["citizen"]
    task = park(TransferFlow, TransferFlow.fees, citizen, people["inspector"])
    browser = Client()
    browser.force_login(citizen)
    staff = Client()
    staff.force_login(people["supervisor"])
    current = next_url(task.process.case, citizen)
    before = snapshot()

    for leaf, url_node in patterns:
        if url_node is TransferFlow.fees:
            continue
        path = leaf.build_path(process_pk=task.process.pk, task_pk=task.pk)
        got = browser.get(path)
        assert (got.status_code, got["Location"]) == (302, current), path
        assert browser.post(path, {"action": "next"}).status_code == 409, path
        assert staff.post(path, {"action": "next"}).status_code == 404, path
    assert snapshot() == before
