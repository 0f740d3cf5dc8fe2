from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .models import OutboxMessage, ShortLink

PAGE_SIZE = 200


def outbox(request: HttpRequest) -> HttpResponse:
    """Every message as the citizen would read it, codes included: DEBUG only."""
    if not settings.DEBUG:
        raise Http404
    messages = OutboxMessage.objects.order_by("-created_at", "-id")[:PAGE_SIZE]
    return render(request, "dev/sms_outbox.html", {"outbox_messages": messages})


def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """/s/<code>/ → the page it stands for; that page does its own login and checks."""
    link = get_object_or_404(ShortLink, code=code)
    # A path of this site only: a row pointing elsewhere must not make an open redirect.
    if not link.target.startswith("/") or not url_has_allowed_host_and_scheme(
        link.target, allowed_hosts=None
    ):
        raise Http404
    return redirect(link.target)
