"""Every pattern of the URLconf, requested by everyone who is not citizen A.

Anonymous visitors, citizen B and each staff role (inspector, supervisor, clerk, and an
inspector of other districts) GET and POST every endpoint the resolver knows, filled in
with A's objects wherever a pattern takes one. No response body may carry A's national ID,
name, tracking numbers, orders, or the bytes of her documents and certificates, except
where the role exists to see them (ENTITLED); nothing of A's may change; and every pattern
must have been requested, so a URL added later is attacked without anyone listing it.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from cases.models import Case
from integrations.sms.models import OutboxMessage
from tests.test_case_security import (
    CitizenA,
    inspection_task,
    logged_in,
    not_case_specific,
    snapshot,
    urls_with_objects_of,
)
from tests.urlconf_walk import LeafPattern, leaf_patterns

pytestmark = pytest.mark.django_db

# Regular-expression patterns cannot be filled in by build_path(): their paths by hand.
REGEX_PATHS = {
    "admin/(?P<url>.*)$": ["/admin/no-such-page/"],  # the admin's catch-all
    "static/(?P<path>.*)$": ["/static/css/site.css"],
}
ADMIN_APP_LIST = re.compile(r"^admin/\(\?P<app_label>(?P<labels>[a-z_|]+)\)/\$$")
# Parameters of patterns that carry no case: values that exist or are harmless.
PLAIN_VALUES = {"flow": "transfer", "code": "no-such-link", "message_id": 1}
VIEWERS = ("anonymous", "citizen2", "inspector", "inspector2", "supervisor", "clerk")


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


def client_of(viewer: str) -> Client:
    return Client() if viewer == "anonymous" else logged_in(viewer)


# What a staff role sees of a citizen's case by design (cases.accounts.roles; the rules are
# tested in tests/staff/test_roles.py). Everything else — the citizens' portal, documents,
# payments and receipts, the engine's task pages — must show staff nothing of A's.
VIEW_CASE_PAGES = (
    "/staff/",  # staff_required: the case file, search, queue, tasks, dashboards
    "/certificates/case/",  # can_view_certificate: the owner or cases.view_case
)
CLERK_PAGES = (
    "/admin/cases/property/",  # the registry: the owner's name as the registry has it
    "/admin/cases/renovationdebt/",  # debts, with the bank reference that settled them
    "/admin/sms/outboxmessage/",  # sms.view_outboxmessage: the texts sent, read-only
)


def entitled_urls(a: CitizenA, viewer: str) -> tuple[str, ...]:
    """URL prefixes where this viewer may see A's data (and may act: GET only there)."""
    if viewer in ("inspector", "inspector2", "supervisor"):  # all hold cases.view_case
        prefixes = VIEW_CASE_PAGES
        if viewer == "inspector":  # the inspector who is to visit A's registered case
            visit = inspection_task(a.registered)
            assert visit.owner.username == "inspector"
            prefixes += (f"/flows/transfer/{visit.process_id}/inspection/{visit.pk}/",)
        return prefixes
    return CLERK_PAGES if viewer == "clerk" else ()


def leaks(a: CitizenA, viewer: str) -> tuple[list[str], set[str]]:
    client, problems, requested = client_of(viewer), [], set()
    entitled = entitled_urls(a, viewer)
    for leaf in leaf_patterns():
        urls = urls_of(a, leaf)
        assert urls, f"nothing to request for {leaf.route!r}: teach urls_of()"
        requested.add(leaf.route)
        for url in urls:
            # The admin's forms re-display on an empty POST: its GET shows as much.
            # Where the viewer may act (their own pages), a POST would be their own work.
            read_only = url.startswith("/admin/") or url.startswith(entitled)
            for method in ("get",) if read_only else ("get", "post"):
                response = getattr(client, method)(url)
                if viewer != "anonymous" and "_auth_user_id" not in client.session:
                    client = client_of(viewer)  # logout/ (or a timeout) ended the session
                body = b"".join(response) if response.streaming else response.content
                # What the asker typed into the URL (an order id) is not a leak when echoed.
                found = [what for what in a.secrets.found_in(body)
                         if a.secrets.texts.get(what, "\0") not in url]
                if found and not url.startswith(entitled):
                    problems.append(f"{viewer} {method.upper()} {url} ({leaf.name}): {found}")
    return problems, requested


@pytest.mark.parametrize("viewer", VIEWERS)
def test_nobody_else_sees_anything_of_a_on_any_url(victim, viewer):
    before = snapshot(victim)
    problems, requested = leaks(victim, viewer)
    assert requested == {leaf.route for leaf in leaf_patterns()}
    assert not problems, "A's data leaked:\n" + "\n".join(problems)
    assert snapshot(victim) == before


def test_the_secrets_are_really_shown_to_a_herself(victim):
    """Control: the same search finds A's data on her own pages, so it would find a leak."""
    own = logged_in("citizen")
    status = own.get(f"/services/cases/{victim.archived.pk}/").content
    assert victim.secrets.found_in(status)
    # The case page's address hands her a link signed for her, which serves the file.
    pdf = own.get(f"/certificates/case/{victim.archived.pk}/pdf/", follow=True)
    assert pdf.status_code == 200
    assert [w for w in victim.secrets.found_in(b"".join(pdf)) if w.startswith("certificate")]
