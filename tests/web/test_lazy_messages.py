"""Work a request skips: the message storage (made only for a request that adds or shows one)
and the idle-timeout check of a request with no session."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.test import Client
from django.urls import path

import web.lazy_messages

pytestmark = pytest.mark.django_db


def add(request):
    messages.success(request, "saved")
    return redirect("/show/")


def show(request):
    return HttpResponse("|".join(str(m) for m in messages.get_messages(request)))


def plain(request):
    return HttpResponse("plain")


urlpatterns = [path("add/", add), path("show/", show), path("plain/", plain)]


@pytest.fixture
def made(settings, monkeypatch):
    settings.ROOT_URLCONF = __name__
    storages = []
    real = web.lazy_messages.default_storage

    def counting(request):
        storages.append(request.path)
        return real(request)

    monkeypatch.setattr(web.lazy_messages, "default_storage", counting)
    return storages


def test_a_message_added_before_a_redirect_is_shown_once_after_it(made):
    client = Client()
    client.get("/add/")
    assert client.get("/show/").content == b"saved"
    assert client.get("/show/").content == b""
    assert made == ["/add/", "/show/", "/show/"]


def test_a_request_that_never_uses_messages_makes_no_storage_and_sets_no_cookie(made):
    client = Client()
    client.get("/add/")
    response = client.get("/plain/")
    assert response.content == b"plain"
    assert made == ["/add/"]
    assert "messages" not in response.cookies
    # The message waits for the page that shows it.
    assert client.get("/show/").content == b"saved"


def test_an_anonymous_request_without_a_session_leaves_the_session_unread(made):
    response = Client().get("/plain/")
    assert "Cookie" not in response.get("Vary", "")
