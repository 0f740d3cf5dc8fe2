"""Every pattern of the URLconf, requested by everyone who is not citizen A.

Anonymous visitors, citizen B and each staff role (inspector, supervisor, clerk, and an
inspector of other districts) GET and POST every endpoint the resolver knows, filled in
with A's objects wherever a pattern takes one. No response body may carry A's national ID,
name, tracking numbers, orders, or the bytes of her documents and certificates, except
where the role exists to see them (ENTITLED); nothing of A's may change; and every pattern
must have been requested, so a URL added later is attacked without anyone listing it.
"""

from __future__ import annotations

import pytest
from django.test import Client

from cases.documents.links import signed_thumbnail_url
from tests.support.case_urls import urls_of
from tests.support.citizen_a import CitizenA, inspection_task, snapshot
from tests.support.clients import logged_in
from tests.support.urlconf_walk import leaf_patterns

pytestmark = pytest.mark.django_db

VIEWERS = ("anonymous", "citizen2", "inspector", "inspector2", "supervisor", "clerk")


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
    # And a thumbnail link signed for her serves her picture's thumbnail.
    [document] = victim.registered.documents.filter(kind="national_card")
    thumbnail = own.get(signed_thumbnail_url(document, victim.user)).content
    assert f"thumbnail of document {document.pk}" in victim.secrets.found_in(thumbnail)
