"""The site's URLconf plus the baselines: hello (a Django view behind the whole middleware
stack) and bare (the same kind of view with no middleware, dispatched by bench/wsgi.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("bare", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *site_urlpatterns]
