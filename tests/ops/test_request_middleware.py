"""The request metrics and the request id: what /metrics and the log read from each request."""

from __future__ import annotations

import uuid

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django_guid.context import guid
from prometheus_client import REGISTRY

from config.urls import urlpatterns as site_urlpatterns


def counted(request):
    return HttpResponse("counted")


def broken(request):
    raise RuntimeError("broken on purpose")


# The site's own patterns too: the error pages link to its pages.
urlpatterns = [path("counted/", counted, name="counted"), path("broken/", broken, name="broken"),
               *site_urlpatterns]


pytestmark = pytest.mark.django_db


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def here(settings):
    settings.ROOT_URLCONF = __name__


def test_a_response_is_counted_by_status_view_and_method_and_timed(here):
    labels = {"status": "200", "view": "counted", "method": "GET"}
    before = (sample("django_http_responses_total_by_status_total", status="200"),
              sample("django_http_responses_total_by_status_view_method_total", **labels),
              sample("django_http_requests_latency_seconds_by_view_method_count",
                     view="counted", method="GET"))
    for _ in range(2):
        assert Client().get("/counted/").status_code == 200
    after = (sample("django_http_responses_total_by_status_total", status="200"),
             sample("django_http_responses_total_by_status_view_method_total", **labels),
             sample("django_http_requests_latency_seconds_by_view_method_count",
                    view="counted", method="GET"))
    assert [a - b for a, b in zip(after, before)] == [2, 2, 2]


def test_an_unknown_method_and_an_unresolved_path_are_one_series_each(here):
    labels = {"status": "404", "view": "<unnamed view>", "method": "<invalid method>"}
    before = sample("django_http_responses_total_by_status_view_method_total", **labels)
    Client().generic("BREW", "/no-such-page/")
    assert sample("django_http_responses_total_by_status_view_method_total",
                  **labels) == before + 1


def test_an_exception_is_counted_by_type_and_view(here):
    before = (sample("django_http_exceptions_total_by_type_total", type="RuntimeError"),
              sample("django_http_exceptions_total_by_view_total", view="broken"),
              sample("django_http_responses_total_by_status_view_method_total",
                     status="500", view="broken", method="GET"))
    assert Client(raise_request_exception=False).get("/broken/").status_code == 500
    after = (sample("django_http_exceptions_total_by_type_total", type="RuntimeError"),
             sample("django_http_exceptions_total_by_view_total", view="broken"),
             sample("django_http_responses_total_by_status_view_method_total",
                    status="500", view="broken", method="GET"))
    assert [a - b for a, b in zip(after, before)] == [1, 1, 1]


def test_each_request_without_an_id_gets_its_own_and_the_context_is_cleared(here):
    made = [Client().get("/counted/")["X-Request-ID"] for _ in range(2)]
    assert made[0] != made[1]
    assert all(uuid.UUID(value).hex == value for value in made)
    # django-guid's request_finished receiver: the next request's log lines start clean.
    assert guid.get() is None


def test_a_valid_request_id_in_another_uuid_spelling_is_kept_as_given(here):
    given = str(uuid.uuid4())
    response = Client().get("/counted/", HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] == given
    # No cross-origin reader (the site sends no CORS headers): nothing to expose the id to.
    assert "Access-Control-Expose-Headers" not in response
