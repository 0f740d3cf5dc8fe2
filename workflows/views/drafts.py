"""Deleting one of the citizen's own unregistered drafts: a confirmation page (GET), then
the delete (POST, CSRF-checked), back to the list it was asked from."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cases.drafts import DraftKept, delete_own_draft, own_draft
from cases.models import Case

from .portal import start_url

DELETED = "پیش‌نویس حذف شد."
KEPT = ("این پیش‌نویس حذف نمی‌شود: برای آن پرداختی انجام شده یا کارکنان شهرداری باید آن را "
        "بررسی کنند. برای راهنمایی با پشتیبانی تماس بگیرید.")
# Where «حذف» was pressed → where the citizen goes back to (never a URL from the request).
RETURN_TO = {
    "requests": lambda case: reverse("portal:previous_requests"),
    "service": lambda case: reverse(f"portal:{case.service}"),
    "start": lambda case: start_url(case.service),
}


def _back(request: HttpRequest, case: Case) -> tuple[str, str]:
    source = request.POST.get("from") or request.GET.get("from")
    source = source if source in RETURN_TO else "requests"
    return source, RETURN_TO[source](case)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_draft(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = own_draft(request.user, case_id)
    except Case.DoesNotExist:
        raise Http404 from None
    source, back = _back(request, case)
    if request.method != "POST":
        return render(request, "portal/delete_draft.html",
                      {"case": case, "from": source, "back": back, "kept": KEPT})
    try:
        delete_own_draft(request.user, case_id)
    except Case.DoesNotExist:  # deleted or registered since the page was read
        raise Http404 from None
    except DraftKept:
        messages.error(request, KEPT)
        return redirect(back)
    messages.success(request, DELETED)
    return redirect(back)
