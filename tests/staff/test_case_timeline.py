"""The staff case page speaks Persian: every event the code records has a title, SMS rows
carry the text's Persian name and status, payments their amount in Persian digits."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cases.models import Case, CaseEvent
from cases.models.timeline import EVENT_TITLES, TRANSITION_EVENTS
from cases.notifications import STATUS_EVENTS, notify
from staff.casefile import REASON_TITLES
from tests.support.clients import logged_in
from tests.support.pages import Page
from tests.support.payment_fixtures import case, client_of_owner, debt, owner  # noqa: F401 (fixtures)
from tests.support.payments import PAY, go_to_bank, press_at_bank

SNAKE = re.compile(r"^[a-z]+(?:_[a-z]+)+$")
# The calls that write a timeline event, and where their name is.
RECORDERS = {"record": slice(1, 4), "_record": slice(1, 4), "_changed": slice(1, 4),
             "audit": slice(4, 5)}
SKIPPED = {"tests", ".venv", "node_modules", "bench", "migrations", "static", "templates"}


def _constants(expr: ast.AST, assigned: dict[str, list[ast.AST]]) -> set[str]:
    """snake_case strings an expression may evaluate to (following local assignments)."""
    names, todo, seen = set(), [expr], set()
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Name):
            if node.id not in seen:
                seen.add(node.id)
                todo += assigned.get(node.id, [])
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                if SNAKE.match(sub.value):
                    names.add(sub.value)
    return names


def recorded_event_names() -> dict[str, set[str]]:
    """Every event name a CaseEvent(...), CaseEvent.objects.create(name=...), or a
    record()/_record()/_changed()/audit() helper call in the project's code writes, with
    its files."""
    found: dict[str, set[str]] = {}
    root = Path(settings.BASE_DIR)
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if SKIPPED & set(relative.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for scope in ast.walk(tree):
            if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
                continue
            assigned: dict[str, list[ast.AST]] = {}
            for node in ast.walk(scope):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            assigned.setdefault(target.id, []).append(node.value)
            for node in ast.walk(scope):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called in RECORDERS:
                    exprs = node.args[RECORDERS[called]]
                elif called == "CaseEvent" or (
                    called == "create" and "CaseEvent" in ast.unparse(func)
                ):
                    exprs = [k.value for k in node.keywords if k.arg == "name"]
                else:
                    continue
                for expr in exprs:
                    for name in _constants(expr, assigned):
                        found.setdefault(name, set()).add(str(relative))
    return found


def every_event_name() -> set[str]:
    return (set(recorded_event_names()) | set(TRANSITION_EVENTS.values())
            | set(STATUS_EVENTS.values()))


def test_the_scan_sees_every_kind_of_recorder():
    # If the scan stopped seeing a way of recording, the next test would prove nothing.
    found = recorded_event_names()
    for name in ("payment_settled", "payment_refund_due", "appointment_rescheduled",
                 "appointment_released", "task_reassigned", "certificate_revoked",
                 "documents_purged", "sms_queued", "inspection_photo_added"):
        assert name in found, name


def test_every_case_transition_has_an_event_name():
    transitions = {t.name for t in Case._meta.get_field("status").get_all_transitions(Case)}
    assert transitions <= set(TRANSITION_EVENTS), transitions - set(TRANSITION_EVENTS)


def test_every_recorded_event_name_has_a_persian_title():
    missing = every_event_name() - set(EVENT_TITLES)
    assert not missing, f"give these events a title in cases/models/timeline.py: {sorted(missing)}"
    for title in EVENT_TITLES.values():
        assert not re.search(r"[A-Za-z]", title), title


@pytest.mark.django_db
def test_the_staff_case_page_shows_no_raw_event_name(
    demo, case, debt, client_of_owner, django_capture_on_commit_callbacks
):
    case.contact_phone = "09121234567"
    case.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_of_owner.get(press_at_bank(client_of_owner, go_to_bank(client_of_owner, case), PAY))
        notify(case, "inspection_approved")  # sent (by the dev backend) once committed
    notify(case, "certificate_issued")  # its commit never comes: stays in the queue
    names = every_event_name()
    for name in sorted(names):
        CaseEvent.objects.create(case=case, name=name, data={"reason": "abandoned"})

    response = logged_in("supervisor").get(reverse("staff:case", args=[case.pk]))
    assert response.status_code == 200
    page = Page.of(response)
    leaked = sorted(n for n in names | set(REASON_TITLES) if n in page.text)
    assert not leaked, leaked
    for title in EVENT_TITLES.values():
        assert page.has(title), title
    assert page.has(REASON_TITLES["abandoned"])
    # SMS rows: the clerks' title of each text, and its status in Persian.
    sms_rows = [Page(row.split("</li>")[0]).text
                for row in page.html.split('<li class="timeline-sms">')[1:]]
    [approved] = [row for row in sms_rows if "پیامک: تایید بازدید: مراجعه به سایت" in row]
    [waiting] = [row for row in sms_rows if "پیامک: صدور گواهی" in row]
    assert "ارسال شد" in approved and "در صف" not in approved
    assert "در صف ارسال" in waiting
    # The payment: rials in Persian digits, toman beside them, and its status.
    assert page.has("۴٬۵۰۰٬۰۰۰ ریال (۴۵۰٬۰۰۰ تومان)")
    assert page.has("پرداخت شده")
    assert "4500000" not in page.text
    # Case statuses, not their code names, on the transitions.
    assert page.has("بازدید تأیید شد؛ در انتظار تسویه عوارض")


def test_every_reason_the_code_records_has_a_persian_title():
    # The payments write their reason as a keyword: record(..., reason="too_late").
    root = Path(settings.BASE_DIR)
    recorded = {
        reason
        for path in root.rglob("*.py") if not SKIPPED & set(path.relative_to(root).parts)
        for reason in re.findall(r'\breason="([a-z_]+)"', path.read_text(encoding="utf-8"))
    }
    assert "debt_settled" in recorded  # the scan sees the payments' reasons
    missing = recorded - set(REASON_TITLES)
    assert not missing, f"give these reasons a title in staff/casefile.py: {sorted(missing)}"


@pytest.mark.django_db
def test_a_name_without_a_title_reads_as_a_persian_word_and_errors_are_marked_as_code(demo, case):
    # Rows an older release may have written: an event and a text no title names today.
    CaseEvent.objects.create(case=case, name="visit_postponed")
    CaseEvent.objects.create(case=case, name="sms_failed", data={
        "kind": "visit_postponed_notice", "error": "<b>gateway</b> timeout"})
    CaseEvent.objects.create(case=case, name="payment_failed", data={"reason": "debt_settled"})
    CaseEvent.objects.create(case=case, name="case_cancelled", data={"reason": "سند جعلی بود"})

    response = logged_in("supervisor").get(reverse("staff:case", args=[case.pk]))
    page = Page.of(response)
    assert not re.search(r"[a-z]+_[a-z_]+", page.text), re.findall(r"[a-z]+_[a-z_]+", page.text)
    assert "<strong>رویداد</strong>" in page.html
    assert 'پیامک، خطا: <code dir="ltr">&lt;b&gt;gateway&lt;/b&gt; timeout</code>' in page.html
    assert page.has(f"دلیل: {REASON_TITLES['debt_settled']}") and page.has("دلیل: سند جعلی بود")
