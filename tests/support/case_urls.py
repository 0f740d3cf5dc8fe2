"""Every URL pattern of the site that carries an object of a case, filled in with citizen
A's objects; the others named, each with the reason it carries none.

A URL added later is neither, so the tests walking the URLconf fail until someone
classifies it (tests/security/).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from viewflow.workflow.models import Task

from cases.documents.links import signed_thumbnail_url, signed_url
from cases.models import Case
from integrations.payments.sandbox.gateway import bank_decision
from integrations.sms.models import OutboxMessage
from tests.support.citizen_a import CitizenA
from tests.support.urlconf_walk import LeafPattern

# Patterns that carry no object of a case: what B gets there is B's own, or nobody's.
NOT_CASE_SPECIFIC: dict[str, str] = {
    "": "home page, the same for every visitor",
    "services/": "the services menu, the same for every citizen",
    "services/requests/": "lists the logged-in citizen's own cases (checked: none of A's)",
    "services/transfer/": "lists the logged-in citizen's own cases (checked: none of A's)",
    "services/inquiry/": "lists the logged-in citizen's own cases (checked: none of A's)",
    "staff/visits/": "the logged-in inspector's own visits; 403 for a citizen (checked)",
    "flows/transfer/start/": "the start node's execute creates the visitor's own process",
    "flows/inquiry/start/": "the start node's execute creates the visitor's own process",
    "verify/": "the public verification page: shows a document only to whoever holds both "
               "its tracking number and its verification code "
               "(tests/cases/certificates/test_verify_page.py)",
    "api/v1/verify": "the verification API: the same check as verify/, a document only for "
                     "its tracking number and verification code "
                     "(tests/cases/certificates/test_verify_api.py)",
    "verify/file/": "the public check of an uploaded PDF: it answers about the file sent, "
                    "which names no case in the URL (tests/cases/certificates/test_verify_file.py)",
    "api/v1/verify/file": "the verification API's check of an uploaded PDF, as verify/file/ "
                          "(tests/cases/certificates/test_verify_file.py)",
    "api/v1/openapi.json": "the API's OpenAPI document, the same for everyone",
    "api/v1/": "the API's root: always 404 (django-ninja needs it to place the API)",
    "accounts/login/": "logging in",
    "accounts/logout/": "logging out",
    "accounts/register/": "opening an account",
    "accounts/login/code/": "the SMS code step of the visitor's own login (session-held)",
    "accounts/login/mobile/": "the visitor's own mobile verification at login (session-held)",
    "accounts/password/reset/": "asking for a password reset code: the same answer for all",
    "accounts/password/reset/code/": "the visitor's own reset code (session-held)",
    "accounts/password/reset/new/": "a new password once this session proved the phone",
    # Identity: 404 unless OIDC_ENABLED; the callback only signs in the person
    # the provider vouched for (tests/cases/accounts/test_oidc_login.py).
    "oidc/authenticate/": "starting an OpenID Connect login",
    "oidc/callback/": "the OpenID Connect provider's answer",
    "session/extend/": "renews the caller's own session; no case involved",
    "i18n/setlang/": "sets the visitor's language cookie",
    # Operations: no session, no case; /metrics only with the
    # bearer token or from an allowed address (tests/deploy/test_metrics.py).
    "healthz": "the liveness probe: {\"status\": \"ok\"}, nothing else",
    "readyz": "the readiness probe: which dependencies answer, no data",
    "metrics": "Prometheus metrics, counts only, refused to the public (403)",
    # Payments: no session; refused unless signed with the bank's notice key,
    # which no browser ever sees (tests/cases/payments/test_bank_notice.py).
    "payments/notify/": "the payment provider's server-to-server notice",
    "dev/sms/": "the SMS outbox, DEBUG only: 404 with DEBUG off, as in production (checked)",
    "s/<slug:code>/": "an SMS short link: only redirects to the case status page, which "
                      "answers 404 to anyone but the owner "
                      "(tests/integrations/sms/test_short_links.py)",
    "sms/twilio/<int:message_id>/status/": "Twilio's delivery receipts: 403 without Twilio's "
                                           "signature, shows nothing "
                                           "(tests/integrations/sms/test_twilio.py)",
    # The staff workspace: role-checked, 403 for citizens (tests/staff/test_roles.py).
    "staff/queue/": "inspectors' queue of their groups and districts; 403 for a citizen",
    "staff/search/": "staff search; 403 for a citizen",
    "staff/tasks/": "supervisors' open tasks; 403 for a citizen and an inspector",
    "staff/dashboard/<slug:flow>/": "a flow's dashboard, supervisors only",
    "staff/dashboard/<slug:flow>/refresh/": "refreshing a flow's dashboard, supervisors only",
    "staff/flows/<slug:flow>.bpmn": "a flow's BPMN diagram, the same for everyone (no case "
                                    "data); staff only, 403 for a citizen",
    "staff/flows/<slug:flow>/migrations/": "moving a flow's open cases to another version, "
                                           "supervisors only",
    "staff/flows/<slug:flow>/migrations/run/": "the move itself, supervisors only",
    "staff/flows/<slug:flow>/migrations/<int:migration_id>/": "one migration, supervisors only",
    "staff/flows/<slug:flow>/migrations/<int:migration_id>/undo/": "undoing one, supervisors only",
    "staff/incidents/": "supervisors' incidents; 403 for a citizen and an inspector",
    "staff/incidents/<int:incident_id>/retry/": "retrying an incident, supervisors only",
}
NOT_CASE_SPECIFIC_PREFIXES: dict[str, str] = {
    # Staff only, behind the admin's own login and permissions: a citizen is sent to the
    # admin's login page whatever the URL (checked on A's case's change page).
    "admin/": "Django admin",
    # Mounted only with DEBUG on (staticfiles_urlpatterns): public assets.
    "static/": "static files in development",
}

# A document's file and its thumbnail: one signed token each, bound to the viewer.
DOCUMENT_LINKS = {"documents:serve": signed_url, "documents:thumbnail": signed_thumbnail_url}


def not_case_specific(route: str) -> str | None:
    """Why the pattern carries no case object, or None when it does."""
    if route in NOT_CASE_SPECIFIC:
        return NOT_CASE_SPECIFIC[route]
    for prefix, reason in NOT_CASE_SPECIFIC_PREFIXES.items():
        if route.startswith(prefix):
            return reason
    return None


def flow_node(leaf: LeafPattern) -> tuple[str, str] | None:
    """(flow namespace, node name) of an engine task URL, read from its route segment."""
    parts = leaf.route.split("/")
    if "<int:process_pk>" not in parts or set(leaf.parameters) != {"process_pk", "task_pk"}:
        return None
    return leaf.namespace.split(":")[0], parts[parts.index("<int:process_pk>") + 1]


def node_of(task: Task) -> tuple[str, str]:
    flow = task.flow_task.flow_class.instance
    return flow.namespace or flow.app_name, task.flow_task.name


def urls_with_objects_of(a: CitizenA, leaf: LeafPattern, tasks: list[Task]) -> list[str]:
    """Concrete URLs of `leaf` pointing at A's objects; [] when it cannot be filled in."""
    params = set(leaf.parameters)
    node = flow_node(leaf)
    if node is not None:  # each of A's tasks of that node
        return [leaf.build_path(process_pk=t.process_id, task_pk=t.pk)
                for t in tasks if node_of(t) == node]
    if params == {"case_id"}:
        return [leaf.build_path(case_id=case.pk) for case in a.cases]
    if params == {"order_id"}:
        return [leaf.build_path(order_id=p.order_id) for p in a.payments]
    if params == {"task_id"}:  # the staff workspace's claim/unassign of each of A's tasks
        return [leaf.build_path(task_id=t.pk) for t in tasks]
    if params == {"token"} and leaf.name in DOCUMENT_LINKS:
        # Links made FOR A: B must be refused even holding one.
        return [DOCUMENT_LINKS[leaf.name](document, a.user) for document in a.documents]
    if params == {"token"} and leaf.name == "sandbox_bank:pay":
        return [leaf.build_path(token=p.gateway_token) for p in a.payments]
    if not params and leaf.name == "payments:callback":
        # No object in the path, but one in the query: the bank's signed "paid" answer for
        # A's order, as the bank sends A's browser back.
        return [f"{leaf.build_path()}?{urlencode(bank_decision(p.gateway_token, 'pay'))}"
                for p in a.payments]
    return []


# --- every pattern, case-specific or not ------------------------------------------------

# Regular-expression patterns cannot be filled in by build_path(): their paths by hand.
REGEX_PATHS = {
    "admin/(?P<url>.*)$": ["/admin/no-such-page/"],  # the admin's catch-all
    "static/(?P<path>.*)$": ["/static/css/site.css"],
}
ADMIN_APP_LIST = re.compile(r"^admin/\(\?P<app_label>(?P<labels>[a-z_|]+)\)/\$$")
# Parameters of patterns that carry no case: values that exist or are harmless.
PLAIN_VALUES = {"flow": "transfer", "code": "no-such-link", "message_id": 1, "incident_id": 1,
                "migration_id": 1}


def admin_object_id(a: CitizenA, leaf: LeafPattern) -> str:
    """The pk of one of A's rows of the model this admin URL edits (or any row)."""
    model_admin = getattr(leaf.callback, "model_admin", None)
    if model_admin is None:  # the admin's redirect of an object's bare URL to its change page
        app_label, model_name = leaf.route.split("/")[1:3]
        model = apps.get_model(app_label, model_name)
    else:
        model = model_admin.model
    rows = model._default_manager.all()
    case_pks = [c.pk for c in a.cases]
    if model is get_user_model():
        rows = rows.filter(pk=a.user.pk)
    elif model._meta.label == "cases.Case":
        rows = rows.filter(pk__in=case_pks)
    elif model is OutboxMessage:
        rows = rows.filter(body__contains=a.archived.tracking_number_display) or rows
    elif any(f.name == "case" for f in model._meta.get_fields()):
        rows = rows.filter(case__in=case_pks)
    row = rows.order_by("pk").first()
    return str(row.pk) if row else "1"


def build(leaf: LeafPattern, **values) -> str:
    """build_path(), but a pattern shadowed by an earlier one (the admin's singleton
    PortalSettings pages) still gets its path: the site answers there all the same."""
    try:
        return leaf.build_path(**values)
    except ValueError as error:
        if "resolves to another pattern" not in str(error):
            raise
        return str(error).split("'")[1]


def urls_of(a: CitizenA, leaf: LeafPattern) -> list[str]:
    """Concrete URLs for one pattern: A's objects where it takes any, else plain values."""
    if leaf.route in REGEX_PATHS:
        return REGEX_PATHS[leaf.route]
    if leaf.is_regex and not leaf.parameters:  # a literal regex: "admin/x/history/$"
        literal = leaf.route.removesuffix("$").removesuffix("\\Z")
        assert not re.search(r"[()\[\]*+?|\\]", literal), f"give {leaf.route!r} by hand"
        return ["/" + literal]
    labels = ADMIN_APP_LIST.match(leaf.route)
    if labels:
        return [f"/admin/{label}/" for label in labels["labels"].split("|")]
    if not_case_specific(leaf.route) is None and leaf.parameters:
        return urls_with_objects_of(a, leaf, a.tasks())
    if len(leaf.parameters) == 1 and leaf.route.startswith("admin/"):  # object_id, or id
        return [build(leaf, **{leaf.parameters[0]: admin_object_id(a, leaf)})]
    if leaf.route.startswith("staff/") and set(leaf.parameters) in ({"case_id"}, {"task_id"}):
        return urls_with_objects_of(a, leaf, a.tasks())
    if set(leaf.parameters) == {"content_type_id", "object_id"}:  # the admin's "view on site"
        case_type = ContentType.objects.get_for_model(Case)
        return [leaf.build_path(content_type_id=case_type.pk, object_id=str(a.archived.pk))]
    return [build(leaf, **{name: PLAIN_VALUES[name] for name in leaf.parameters})]
