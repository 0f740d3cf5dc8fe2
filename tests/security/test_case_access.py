"""Who may open what in the citizen services: citizen B, other inspectors, anonymous visitors.

Citizen A's cases are built once for the package, through the site, as she would build
them (tests/support/citizen_a.py): one archived with a certificate after paying property
B's debt, one cancelled at the visit, one registered and waiting for `inspector`, one draft
with her apartment step open. The URLs tried are not typed here: every pattern of the
URLconf is either filled in with A's objects and requested, or named in NOT_CASE_SPECIFIC
(tests/support/case_urls.py) with the reason, so a URL added later fails
`test_citizen_b_is_refused_every_url_of_citizen_a` until someone classifies it.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.appointments import services as appointments
from cases.documents.links import read_token
from cases.models import CaseStatus, InspectionReport, InspectorProfile
from flows.transfer_flow import TransferFlow
from tests.support.case_urls import flow_node, node_of, not_case_specific, urls_with_objects_of
from tests.support.citizen_a import CitizenA, inspection_task, snapshot
from tests.support.clients import logged_in, user
from tests.support.pages import Page
from tests.support.urlconf_walk import LeafPattern, leaf_patterns
from workflows.nodes import CitizenStep
from workflows.wizard import open_task_of

LOGIN_PATH = reverse("accounts:login")
REFUSED = {403, 404}
ENGINE_VERBS_OF_A_VIEW = {"assign", "unassign", "reassign"}

# Parameters of a pattern pointing at nothing that exists.
GHOST = {"case_id": 987654, "order_id": "NO-SUCH-ORDER", "token": "no-such-token",
         "process_pk": 987654, "task_pk": 987654, "task_id": 987654}
# Patterns whose object is named by a signed token: nobody can guess one.
SIGNED_TOKEN_PATTERNS = {"documents:serve", "documents:thumbnail", "sandbox_bank:pay"}


@pytest.fixture
def citizen_a(victim):
    """The package's victim (conftest.py): built once and committed (the issuing Handle and
    the SMS run on commit, as in production); each test runs in a transaction rolled back
    onto it."""
    return victim


# --- every URL of the site, filled in with A's objects -----------------------------


def verb(leaf: LeafPattern) -> str:
    return leaf.name.rsplit(":", 1)[-1]


def leaf_named(name: str) -> LeafPattern:
    [leaf] = [leaf for leaf in leaf_patterns() if leaf.name == name]
    return leaf


def case_specific_urls(a: CitizenA) -> tuple[dict[LeafPattern, list[str]], list[LeafPattern]]:
    """Every case-specific pattern with A's URLs, and the patterns nobody could fill in."""
    found, unfilled, tasks = {}, [], a.tasks()
    for leaf in leaf_patterns():
        if not_case_specific(leaf.route) is None:
            urls = urls_with_objects_of(a, leaf, tasks)
            if urls:
                found[leaf] = urls
            else:
                unfilled.append(leaf)
    return found, unfilled


def ghost_url(leaf: LeafPattern) -> str:
    """The same pattern pointing at nothing that exists."""
    return leaf.build_path(**{name: GHOST[name] for name in leaf.parameters})


def refusal_problem(client: Client, leaf: LeafPattern, method: str, response,
                    checked: frozenset[str] = frozenset()) -> str | None:
    """None when `response` refuses a logged-in outsider and tells nothing; else what's wrong.

    `checked`: URLs whose own refusal the caller checks, so a redirect to one is not followed.
    """
    status = response.status_code
    if status in REFUSED:
        return None
    if status == 405:
        # require_safe/require_POST answer before any lookup: the same for an object that
        # does not exist, so the answer says nothing about A's (checked on a ghost URL).
        ghost = getattr(client, method.lower())(ghost_url(leaf))
        return None if ghost.status_code == 405 else f"405, but {ghost.status_code} for no object"
    if status != 302:
        return f"answered {status}"
    location = response["Location"]
    if location.startswith(LOGIN_PATH):
        return f"302 to the login page for a logged-in user ({location})"
    if location == "/":
        # viewflow's index of a View task sends whoever may not see the task home, with a
        # "no rights" message: the home page is everyone's, and task ids are sequential,
        # so this tells no more than a 403 would.
        return None
    # An automatic node's index sends everyone on to its detail page, which must refuse.
    if location in checked or client.get(location).status_code in REFUSED:
        return None
    return f"302 to {location}, which does not refuse"


def try_everything(client: Client, leaf: LeafPattern, urls: list[str], post_data=None,
                   checked: frozenset[str] = frozenset()) -> list[str]:
    """GET and POST (an empty body unless given) each URL; the problems found."""
    problems = []
    for url in urls:
        for method in ("GET", "POST"):
            response = client.get(url) if method == "GET" else client.post(url, post_data or {})
            problem = refusal_problem(client, leaf, method, response, checked)
            if problem:
                problems.append(f"{method} {shorten(url)} ({leaf.name}): {problem}")
    return problems


def shorten(url: str) -> str:
    return url if len(url) <= 90 else f"{url[:70]}…{url[-12:]}"


# --- 1. citizen B on every URL of citizen A's cases ---------------------------------


@pytest.mark.django_db
def test_citizen_b_is_refused_every_url_of_citizen_a(citizen_a):
    every_pattern = {leaf.route for leaf in leaf_patterns()}
    found, unfilled = case_specific_urls(citizen_a)
    assert not unfilled, (
        "case-specific patterns this test cannot fill in with A's objects — teach "
        "urls_with_objects_of() or classify them in NOT_CASE_SPECIFIC: "
        f"{[leaf.route for leaf in unfilled]}"
    )
    b = logged_in("citizen2")
    before = snapshot(citizen_a)

    every_url = frozenset(url for urls in found.values() for url in urls)
    problems, requested = [], set()
    for leaf, urls in found.items():
        problems += try_everything(b, leaf, urls, checked=every_url)
        requested.add(leaf.route)

    assert not problems, "citizen B got somewhere with A's objects:\n" + "\n".join(problems)
    assert snapshot(citizen_a) == before
    explicit = {route for route in every_pattern if not_case_specific(route) is not None}
    assert requested | explicit == every_pattern
    assert not requested & explicit
    # Every node A has a task of was reached, and each of A's objects was used.
    assert {node_of(task) for task in citizen_a.tasks()} <= {flow_node(leaf) for leaf in found}
    signed = {read_token(url.split("/")[2]) for url in found[leaf_named("documents:serve")]}
    assert signed == {(d.pk, citizen_a.user.pk) for d in citizen_a.documents}
    thumbnails = found[leaf_named("documents:thumbnail")]
    assert {read_token(url.split("/")[2]) for url in thumbnails} == signed
    assert {f"/payments/receipt/{p.order_id}/" for p in citizen_a.payments} <= every_url
    assert {f"/certificates/case/{c.pk}/pdf/" for c in citizen_a.cases} <= every_url


@pytest.mark.django_db
def test_pages_without_a_case_object_show_citizen_b_nothing_of_a(citizen_a, settings):
    b = logged_in("citizen2")
    shown = [c.tracking_number_display for c in citizen_a.cases if c.tracking_number]
    for path in ("/services/requests/", "/services/transfer/", "/services/inquiry/"):
        page = b.get(path)
        assert page.status_code == 200
        assert not [t for t in shown if Page.of(page).has(t)], path
        links = [a.attrs.get("href", "") for a in Page.of(page).links]
        assert not [c for c in citizen_a.cases if f"/services/cases/{c.pk}/" in links], path
    assert b.get(reverse("portal:inspector_inbox")).status_code == 403
    settings.DEBUG = False
    assert b.get(reverse("sms:outbox")).status_code == 404
    # The admin sends a citizen to its own login page, never shows A's case.
    change = b.get(reverse("admin:cases_case_change", args=[citizen_a.archived.pk]))
    assert change.status_code == 302
    assert urlsplit(change["Location"]).path == reverse("admin:login")
    admin_login = Page.of(b.get(change["Location"]))
    assert not admin_login.has(citizen_a.archived.tracking_number_display)
    assert citizen_a.archived.property.renovation_code not in admin_login.html


# --- 2. the engine's own task actions -----------------------------------------------


def citizen_nodes() -> list[str]:
    return [n.name for n in TransferFlow.instance.nodes() if isinstance(n, CitizenStep)]


def would_be(task: Task, action: str) -> str:
    """The path viewflow would give `action` on this task: execute's, with another verb."""
    execute = task.reverse("execute")
    assert execute.endswith("/execute/")
    return execute.removesuffix("execute/") + f"{action}/"


@pytest.mark.django_db
def test_citizen_steps_have_no_assign_or_unassign_urls(citizen_a):
    nodes = citizen_nodes()
    assert set(nodes) >= {"apartment", "documents", "appointment", "confirm", "fees", "issuance"}
    names = {leaf.name for leaf in leaf_patterns()}
    assert not {f"transfer:{n}:{v}" for n in nodes for v in ENGINE_VERBS_OF_A_VIEW} & names

    open_step = citizen_a.open_step()
    assert open_step.owner == citizen_a.user
    # Control: the same substitution gives the real URL of a verb the node has.
    assert resolve(would_be(open_step, "detail")).url_name == "detail"
    citizen_tasks = [t for t in citizen_a.tasks() if t.flow_task.name in nodes]
    assert {t.flow_task.name for t in citizen_tasks} == set(nodes)
    for task in citizen_tasks:
        for action in ENGINE_VERBS_OF_A_VIEW:
            with pytest.raises(Resolver404):
                resolve(would_be(task, action))
    for username in ("citizen", "citizen2"):  # A herself, and B
        client = logged_in(username)
        for action in ENGINE_VERBS_OF_A_VIEW:
            path = would_be(open_step, action)
            assert client.get(path).status_code == 404, (username, path)
            assert client.post(path, {}).status_code == 404, (username, path)
    open_step.refresh_from_db()
    assert open_step.owner == citizen_a.user and open_step.status == STATUS.ASSIGNED


@pytest.mark.django_db
def test_citizen_b_cannot_take_over_a_s_open_step_through_any_engine_url(citizen_a):
    open_step = citizen_a.open_step()
    b = logged_in("citizen2")
    before = snapshot(citizen_a)
    leaves = [leaf for leaf in leaf_patterns() if flow_node(leaf) == ("transfer", "apartment")]
    assert {verb(leaf) for leaf in leaves} >= {
        "execute", "undo", "revive", "cancel", "detail", "index"}

    problems = []
    for leaf in leaves:
        url = leaf.build_path(process_pk=open_step.process_id, task_pk=open_step.pk)
        problems += try_everything(b, leaf, [url], post_data={"action": "next"})
    assert not problems, "\n".join(problems)

    assert snapshot(citizen_a) == before
    open_step.refresh_from_db()
    assert open_step.owner == citizen_a.user and open_step.status == STATUS.ASSIGNED
    assert open_task_of(citizen_a.draft, user("citizen2")) is None
    assert logged_in("citizen").get(open_step.reverse("execute")).status_code == 200


# --- 3. one inspector, another inspector's visit --------------------------------------


@pytest.mark.django_db
def test_an_inspector_cannot_act_on_another_inspectors_visit(citizen_a):
    case = citizen_a.registered
    # Property B's district has exactly one inspector, so the visit can only be theirs.
    serving = InspectorProfile.objects.filter(districts=case.property.district)
    assert list(serving.values_list("user__username", flat=True)) == ["inspector"]
    assert appointments.current(case).slot.inspector.username == "inspector"
    task = inspection_task(case)
    assert task.owner.username == "inspector" and task.status == STATUS.ASSIGNED
    before = snapshot(citizen_a)

    leaves = [leaf for leaf in leaf_patterns() if flow_node(leaf) == ("transfer", "inspection")]
    assert {verb(leaf) for leaf in leaves} >= {"execute", "detail", "undo", "cancel"}
    approve = {"result": "approved", "notes": "دیده شد"}
    problems = []
    for username in ("inspector2", "citizen2", "citizen"):
        client = logged_in(username)
        for leaf in leaves:
            url = leaf.build_path(process_pk=task.process_id, task_pk=task.pk)
            problems += [f"{username}: {p}" for p in try_everything(client, leaf, [url], approve)]
    assert not problems, "\n".join(problems)

    assert snapshot(citizen_a) == before
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert not InspectionReport.objects.filter(case=case).exists()
    task.refresh_from_db()
    assert task.owner.username == "inspector" and task.status == STATUS.ASSIGNED

    execute = task.reverse("execute")
    others_inbox = logged_in("inspector2").get(reverse("portal:inspector_inbox"))
    assert others_inbox.status_code == 200
    assert execute not in others_inbox.content.decode()
    assert not Page.of(others_inbox).has(case.tracking_number_display)
    own_inbox = logged_in("inspector").get(reverse("portal:inspector_inbox"))
    assert execute in own_inbox.content.decode()  # control: its inspector does see it
    assert Page.of(own_inbox).has(case.tracking_number_display)


@pytest.mark.django_db
def test_an_inspector_of_another_district_cannot_pick_up_a_dropped_visit(citizen_a):
    case = citizen_a.registered
    task = inspection_task(case)
    logged_in("inspector").post(would_be(task, "unassign"), {})  # the owner lets go, if able
    other = logged_in("inspector2")  # districts 7 and 12; the visit is in district 3
    other.post(would_be(task, "assign"), {})
    other.post(task.reverse("execute"), {"result": "approved"})
    task.refresh_from_db()
    case.refresh_from_db()
    assert task.owner_id != user("inspector2").pk
    assert case.status == CaseStatus.REGISTERED
    assert not InspectionReport.objects.filter(case=case).exists()


# --- 4. anonymous visitors are asked to log in ---------------------------------------


def login_problem(leaf: LeafPattern, url: str, response) -> str | None:
    if response.status_code == 404 and leaf.name in SIGNED_TOKEN_PATTERNS:
        return None  # a signed token nobody can guess: a 404 tells a guesser nothing
    if response.status_code != 302:
        return f"answered {response.status_code}"
    location = urlsplit(response["Location"])
    if location.path != LOGIN_PATH or parse_qs(location.query).get("next") != [url]:
        return f"302 to {response['Location']}, not to the login page and back"
    return None


def anonymous_problems(a: CitizenA, engine: bool) -> tuple[list[str], int]:
    """An anonymous GET of every case-specific URL, and of the citizen's and staff pages."""
    found, unfilled = case_specific_urls(a)
    assert not unfilled
    pages = [(leaf, [leaf.build_path()]) for leaf in leaf_patterns()
             if leaf.route.startswith(("services/", "staff/")) and not leaf.parameters]
    if engine:  # a citizen whose session expired presses «ثبت درخواست جدید» too
        start = leaf_named("transfer:start:execute")
        pages.append((start, [start.build_path()]))
    anonymous, tried, problems = Client(), 0, []
    for leaf, urls in [*found.items(), *pages]:
        if leaf.route.startswith("flows/") != engine:
            continue
        for url in urls:
            tried += 1
            problem = login_problem(leaf, url, anonymous.get(url))
            if problem:
                problems.append(f"GET {shorten(url)} ({leaf.name}): {problem}")
    return problems, tried


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_on_portal_and_payment_urls(citizen_a):
    before = snapshot(citizen_a)
    problems, tried = anonymous_problems(citizen_a, engine=False)
    assert tried > 20
    assert not problems, "\n".join(problems)
    assert snapshot(citizen_a) == before


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_on_engine_urls(citizen_a):
    before = snapshot(citizen_a)
    problems, tried = anonymous_problems(citizen_a, engine=True)
    assert tried > 100
    assert snapshot(citizen_a) == before
    assert not problems, "\n".join(problems)
