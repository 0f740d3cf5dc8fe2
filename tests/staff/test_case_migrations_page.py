"""The supervisors' page for moving open cases to another version of their flow: the dry
run moves nothing, «انتقال پرونده‌ها» moves only what the preview showed and then the
mapped cases are on version 2, audited under the supervisor's name, and «بازگرداندن»
moves back what nothing has happened on since. Version 2 (tests/flows/versions: بررسی
حقوقی added, صدور گواهی removed) is deployed while cases are parked on version 1 by rows
made directly, the quickest way to hold a case at a step."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import STATUS

from cases.models import Case, CaseEvent, CaseStatus, Property
from cases.tracking import generate_tracking_number
from tests.flows.versions.driver import deployed
from tests.support.clients import logged_in
from tests.support.pages import Page
from tests.support.transfer_driver import follow, post_button
from workflows import flow_versions
from workflows.models import CaseMigration, CaseMove, CaseProcess, CaseTask

pytestmark = pytest.mark.django_db
PAGE = "/staff/flows/transfer/migrations/"
MAPPED = {"preview": "1", "from_version": "1", "to_version": "2", "step_fees": "legal_review"}
RUN = "انتقال پرونده‌ها"


def park(at: str, registered: bool = True, status: str = STATUS.ASSIGNED) -> Case:
    """A version 1 case waiting at the citizen's step `at`."""
    v1 = flow_versions.flow("transfer", 1)
    citizen = get_user_model().objects.get(username="citizen")
    extra = ({"status": CaseStatus.REGISTERED, "tracking_number": generate_tracking_number(),
              "registered_at": timezone.now()} if registered else {})
    case = Case.objects.create(service="transfer", citizen=citizen,
                               property=Property.objects.order_by("pk").first(), **extra)
    process = CaseProcess.objects.create(flow_class=v1, case=case)
    CaseTask.objects.create(process=process, flow_task=v1.start, status=STATUS.DONE, owner=citizen)
    CaseTask.objects.create(process=process, flow_task=v1.instance.node(at), status=status,
                            owner=citizen)
    return case


@pytest.fixture
def parked(demo, postgres):
    """Two registered cases at the fees (mapped to بررسی حقوقی), one at the issuance (gone
    in version 2, mapped nowhere), a draft at the apartment (the same step in both) and a
    draft whose step failed."""
    with deployed():
        yield {"fees": [park("fees"), park("fees")], "issuance": park("issuance"),
               "draft": park("apartment", registered=False),
               "failed": park("documents", registered=False, status=STATUS.ERROR)}


def version_of(case: Case) -> int:
    return CaseProcess.objects.get(case=case).flow_class.version


def snapshot() -> tuple:
    return (list(CaseTask.objects.order_by("pk").values_list("pk", "status", "owner_id")),
            sorted((p.pk, p.flow_class.version) for p in CaseProcess.objects.all()),
            CaseEvent.objects.count(), CaseMigration.objects.count())


def preview(client):
    response = client.get(PAGE, MAPPED)
    assert response.status_code == 200, Page.of(response).text[:800]
    return response


def test_the_dry_run_counts_per_step_and_moves_nothing(parked):
    before = snapshot()
    response = preview(logged_in("supervisor"))
    html = response.content.decode()
    assert 'data-total="5"' in html and 'data-movable="3"' in html and 'data-refused="2"' in html
    rows = {r["from_node"]: r for r in response.context["preview"].plan.rows()}
    assert (rows["fees"]["moving"], rows["fees"]["to_title"]) == (2, "بررسی حقوقی")
    assert (rows["apartment"]["moving"], rows["apartment"]["to_node"]) == (1, "apartment")
    assert (rows["issuance"]["moving"], rows["issuance"]["refused"]) == (0, 1)
    page = Page.of(response)
    # The registered case that cannot move, linked, with why; the failed draft by count.
    stays = parked["issuance"]
    assert reverse("staff:case", args=[stays.pk]) in html
    assert page.has("گام «صدور گواهی» در نسخه ۲ نیست و نگاشتی برای آن داده نشده است.")
    assert page.has("۱ پیش‌نویس شهروند (هنوز ثبت نشده): گام «بارگذاری مدارک» با خطا متوقف شده است")
    assert reverse("staff:case", args=[parked["draft"].pk]) not in html
    page.form_with_button(RUN)
    steps = [field.label for field in response.context["form"].step_fields()]
    assert steps[:4] == ["انتخاب آپارتمان", "بارگذاری مدارک", "انتخاب کارشناس بازدید",
                         "تایید و ثبت"]  # in the order a case meets them
    assert snapshot() == before


def test_the_dashboards_version_table_leads_here(parked):
    client = logged_in("supervisor")
    dashboard = Page.of(client.get(reverse("staff:dashboard", args=["transfer"])))
    link = dashboard.link("انتقال از نسخه ۱")
    assert link == f"{PAGE}?from_version=1"
    form = client.get(link).context["form"]
    assert (form["from_version"].value(), form["to_version"].value()) == ("1", 2)


def test_the_move_takes_the_mapped_cases_to_version_2_under_the_supervisors_name(parked):
    client = logged_in("supervisor")
    moved = follow(client, post_button(client, preview(client), RUN))
    assert moved.status_code == 200
    assert Page.of(moved).has("۳ پرونده به نسخه ۲ منتقل شد؛ ۲ پرونده منتقل نشد.")
    migration = CaseMigration.objects.get()
    supervisor = get_user_model().objects.get(username="supervisor")
    assert (migration.by, migration.mapping) == (supervisor, {"fees": "legal_review"})
    assert moved.wsgi_request.path == reverse("staff:case_migration",
                                              args=["transfer", migration.pk])
    assert sorted(CaseMove.objects.values_list("case_id", "to_node")) == sorted(
        [(c.pk, "legal_review") for c in parked["fees"]] + [(parked["draft"].pk, "apartment")])
    for case in parked["fees"]:
        assert version_of(case) == 2
        task = CaseTask.objects.get(process__caseprocess__case=case, status=STATUS.ASSIGNED)
        assert task.flow_task.name == "legal_review"
        event = CaseEvent.objects.get(case=case, name="case_migrated")
        assert event.actor == supervisor and event.data["to_node"] == "legal_review"
    assert version_of(parked["draft"]) == 2
    assert version_of(parked["issuance"]) == version_of(parked["failed"]) == 1
    listed = Page.of(logged_in("supervisor").get(PAGE))
    assert listed.has("نسخه ۱ ← نسخه ۲") and listed.has("عوارض نوسازی ← بررسی حقوقی")


def test_nothing_moves_without_the_preview_or_when_cases_changed_since(parked):
    client = logged_in("supervisor")
    data = {k: v for k, v in MAPPED.items() if k != "preview"}
    before = snapshot()
    refused = client.post(reverse("staff:case_migration_run", args=["transfer"]), data)
    assert refused.status_code == 409
    assert Page.of(refused).has("پیش‌نمایش این انتقال دیده نشده یا کهنه شده است")
    shown = preview(client)
    park("fees")  # a case reaches the fees after the supervisor looked
    before = snapshot()
    stale = post_button(client, shown, RUN)
    assert stale.status_code == 409
    assert Page.of(stale).has("از زمان پیش‌نمایش، پرونده‌های این نسخه جابه‌جا شده‌اند")
    assert 'data-movable="4"' in stale.content.decode()  # the fresh preview, to look at again
    assert snapshot() == before


@pytest.mark.parametrize("data, error", [
    ({"to_version": "1", "step_fees": ""}, "نسخه مبدأ و مقصد یکی است."),
    ({"step_fees": "issuance"}, "این گام در نسخه مقصد نیست؛ دوباره انتخاب کنید."),
    ({"to_version": "7"}, "این نسخه بارگذاری نشده است."),
])
def test_a_wrong_request_is_refused_in_persian_and_moves_nothing(parked, data, error):
    client = logged_in("supervisor")
    before = snapshot()
    shown = client.get(PAGE, {**MAPPED, **data})
    assert shown.status_code == 400 and Page.of(shown).has(error)
    assert Page.of(shown).text.startswith("خطا: ")
    sent = client.post(reverse("staff:case_migration_run", args=["transfer"]),
                       {**MAPPED, **data, "token": "x"})
    assert sent.status_code == 400 and Page.of(sent).has(error)
    assert snapshot() == before


def test_an_inspector_can_neither_see_nor_move_nor_undo(parked):
    supervisor = logged_in("supervisor")
    shown = preview(supervisor)
    form = Page.of(shown).form_with_button(RUN)
    inspector = logged_in("inspector")
    before = snapshot()
    assert inspector.get(PAGE).status_code == 403
    assert inspector.get(PAGE, MAPPED).status_code == 403
    assert inspector.post(form.attrs["action"], form.data({})).status_code == 403
    assert snapshot() == before
    post_button(supervisor, shown, RUN)
    migration = CaseMigration.objects.get()
    before = snapshot()
    for name in ("staff:case_migration", "staff:case_migration_undo"):
        url = reverse(name, args=["transfer", migration.pk])
        assert inspector.get(url).status_code == 403 and inspector.post(url).status_code == 403
    assert snapshot() == before


def test_undo_shows_what_cannot_go_back_and_moves_back_the_rest(parked):
    client = logged_in("supervisor")
    post_button(client, preview(client), RUN)
    migration = CaseMigration.objects.get()
    touched, untouched = parked["fees"]
    left = {m.case_id: m.left_task_id for m in CaseMove.objects.all()}
    CaseEvent.objects.create(case=touched, name="document_uploaded", data={})
    listed = Page.of(client.get(PAGE))
    assert listed.has("۱ پرونده دیگر بازگرداندنی نیست")
    assert listed.has("پس از انتقال، رویداد")  # why it cannot, in the words of undo.why_not
    page = client.get(reverse("staff:case_migration", args=["transfer", migration.pk]))
    html = page.content.decode()
    assert 'data-undoable="2"' in html and 'data-stuck="1"' in html
    assert reverse("staff:case", args=[touched.pk]) in html
    done = follow(client, post_button(client, page, "بازگرداندن"))
    assert Page.of(done).has("۲ پرونده به نسخه ۱ بازگردانده شد؛ ۱ پرونده بازگردانده نشد.")
    for case in (untouched, parked["draft"]):
        assert version_of(case) == 1
        back = CaseTask.objects.get(process__caseprocess__case=case, status=STATUS.ASSIGNED)
        assert back.pk == left[case.pk]  # the very task it left: its page's URL again
    assert version_of(touched) == 2
    event = CaseEvent.objects.get(case=untouched, name="case_migration_undone")
    assert event.actor.username == "supervisor"
    assert 'data-undoable="0"' in client.get(PAGE).content.decode()
