"""The site's URLconf plus the baselines: hello (a Django view behind the whole middleware
stack), bare (the same kind of view with no middleware, dispatched by bench/wsgi.py) and
the reference page (what a plain Django page costs: bench/jinja2/bench/reference.html)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("bare", content_type="text/plain")


@login_required
def reference(request: HttpRequest) -> HttpResponse:
    """A Django page as the performance issue describes one, a few ms: through the whole
    stack, it reads the session and the user, a few rows by an index (the person's three
    latest cases: the citizen and creation index) and renders a 3 KB template with a form.
    No page of the site is simpler that does something for a person."""
    from cases.models import Case

    cases = list(Case.objects.filter(citizen=request.user).order_by("-created_at").values_list(
        "pk", "tracking_number", "service", "status", "created_at")[:3])
    return render(request, "bench/reference.html", {"cases": cases})


urlpatterns = [path("bench/hello/", hello, name="bench_hello"),
               path("bench/reference/", reference, name="bench_reference"),
               *site_urlpatterns]
