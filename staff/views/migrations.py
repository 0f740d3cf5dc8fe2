"""Moving a flow's open cases to another version (supervisors): the dry run, the move
that must match it, each migration's page and «بازگرداندن»."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from cases.persian import to_persian_digits as fa
from workflows import flow_versions
from workflows.models import CaseMigration

from .. import case_migrations, dashboard
from ..access import supervisor_required
from ..flows import flow_titles
from ..forms import MigrationForm


def _known(flow: str) -> None:
    if flow not in flow_versions.labels():
        raise Http404


def _page(request, flow: str, form: MigrationForm, preview=None, status: int = 200):
    return render(request, "staff/case_migrations.html", {
        "flow": flow, "flow_title": flow_titles()[flow], "form": form, "preview": preview,
        "versions": dashboard.open_per_version(flow),
        "history": case_migrations.history(flow),
    }, status=status)


@supervisor_required
@require_safe
def migrations_page(request, flow: str):
    """The versions, the past migrations and the form; with «پیش‌نمایش انتقال» pressed,
    the dry run too (a GET: it moves nothing)."""
    _known(flow)
    if "preview" not in request.GET:
        # The dashboard's link names the version to move from; to the newest, or from the
        # newest back to the one before it.
        loaded = [c.version for c in flow_versions.versions(flow)]
        source = request.GET.get("from_version", "")
        target = loaded[-2] if len(loaded) > 1 and source == str(loaded[-1]) else loaded[-1]
        initial = {"from_version": source or loaded[0], "to_version": target}
        return _page(request, flow, MigrationForm(flow, initial=initial))
    form = MigrationForm(flow, request.GET)
    if not form.is_valid():
        return _page(request, flow, form, status=400)
    return _page(request, flow, form, case_migrations.preview(form.request, request.user))


@supervisor_required
@require_POST
def run(request, flow: str):
    """«انتقال پرونده‌ها»: only the moves the preview showed. Planned again first: if the
    token is missing or the counts moved since, the fresh preview is shown instead."""
    _known(flow)
    form = MigrationForm(flow, request.POST)
    if not form.is_valid():
        return _page(request, flow, form, status=400)
    fresh = case_migrations.preview(form.request, request.user)
    problem = case_migrations.check(request.POST.get("token", ""), fresh, request.user)
    if not problem and not fresh.plan.movable:
        problem = "پرونده‌ای برای انتقال نیست."
    if problem:
        form.add_error(None, problem)
        return _page(request, flow, form, fresh, status=409)
    migration, moved, refused = case_migrations.migrate(form.request, request.user)
    target = flow_versions.version_label(form.request.target)
    messages.success(request, fa(f"{moved} پرونده به {target} منتقل شد؛ "
                                 f"{refused} پرونده منتقل نشد."))
    return redirect("staff:case_migration", flow=flow, migration_id=migration.pk)


def _migration(flow: str, migration_id: int) -> CaseMigration:
    _known(flow)
    return get_object_or_404(CaseMigration.objects.select_related("by", "undoes"),
                             pk=migration_id, flow_label=flow)


@supervisor_required
@require_safe
def migration_page(request, flow: str, migration_id: int):
    """One migration: its cases, which can still go back and why the others cannot (the
    preview of «بازگرداندن»)."""
    migration = _migration(flow, migration_id)
    record = case_migrations.record(migration)
    return render(request, "staff/case_migration.html", {
        "flow": flow, "flow_title": flow_titles()[flow], "record": record,
        "rows": case_migrations.move_rows(migration, record.stuck),
        "shown_max": case_migrations.SHOWN_REFUSALS,
    })


@supervisor_required
@require_POST
def undo(request, flow: str, migration_id: int):
    migration = _migration(flow, migration_id)
    if migration.undoes_id or not case_migrations.record(migration).undoable:
        messages.info(request, "پرونده‌ای از این انتقال بازگرداندنی نمانده است.")
        return redirect("staff:case_migration", flow=flow, migration_id=migration.pk)
    try:
        back, stayed = case_migrations.undo_all(migration, request.user)
    except ValueError as error:
        messages.error(request, fa(str(error)))
    else:
        messages.success(request, fa(f"{back} پرونده به نسخه {migration.from_version} "
                                     f"بازگردانده شد؛ {stayed} پرونده بازگردانده نشد."))
    return redirect("staff:case_migration", flow=flow, migration_id=migration.pk)
