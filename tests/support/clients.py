"""Test clients of the demo's people, logged in without the login page."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client


def user(username: str):
    return get_user_model().objects.get(username=username)


def logged_in(username: str) -> Client:
    # Client() checks no CSRF token, so a refusal is about who asks, never a missing token.
    client = Client()
    client.force_login(user(username))
    return client
