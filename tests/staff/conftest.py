import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from bench.generate import Plan, generate


def logged_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def city(demo):
    """The demo accounts plus a generated history of `size` cases."""

    def build(size: int, open_tasks: int | None = None) -> dict:
        return generate(Plan(cases=size, open_tasks=open_tasks if open_tasks is not None else size // 10,
                             full_history=size // 10, inspectors=4))

    return build
