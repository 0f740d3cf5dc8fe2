"""Structured logs: one JSON object a line, with the request's id."""

from __future__ import annotations

import io
import json
import logging
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django_guid.log_filters import CorrelationId
from pythonjsonlogger.json import JsonFormatter


@pytest.fixture
def json_lines():
    """A handler built from settings.LOGGING's own formatter and filter."""
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"
    options = {k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"}
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(CorrelationId(correlation_id_field="request_id"))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_logs_json_with_the_callers_request_id(json_lines):
    given = uuid.uuid4().hex
    response = Client().get("/no-such-page/", HTTP_X_REQUEST_ID=given)
    assert response.status_code == 404
    assert response["X-Request-ID"] == given
    [line] = [entry for entry in json_lines() if "no-such-page" in entry["message"]]
    assert line["request_id"] == given
    assert line["level"] == "WARNING" and line["logger"] == "django.request"
    assert line["time"]


@pytest.mark.django_db
def test_an_invalid_request_id_is_replaced_not_logged(json_lines):
    response = Client().get("/no-such-page/", HTTP_X_REQUEST_ID='x"}\n{"forged": 1')
    made = response["X-Request-ID"]
    assert uuid.UUID(made).hex == made
    [line] = [entry for entry in json_lines() if "no-such-page" in entry["message"]]
    assert line["request_id"] == made and "forged" not in line
