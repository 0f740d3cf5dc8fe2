"""The role kept in a session follows every change of groups and permissions at once.

The flags are read once and kept in the session (cases/accounts/role_flags.py); any change
to who has which role must show on the person's very next request: the inspector's link
in the navigation, and the staff idle period.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

from cases.accounts.role_flags import SESSION_KEY
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db
INSPECTOR_LINK = "بازدیدهای من"


@pytest.fixture(autouse=True, params=["user read from the database", pytest.param(
    "user kept in Redis", marks=[pytest.mark.redis, pytest.mark.django_db(transaction=True)])])
def user_store(request, settings):
    """Every case twice: as on a machine without Redis, and with the signed-in person's row
    kept in Redis (cases/accounts/backends.py), whose copy must be dropped by the same
    changes. Committed transactions there: the copy is dropped when the change commits."""
    if request.param == "user kept in Redis":
        from tests.support.services import use_redis_sessions

        use_redis_sessions(settings, "role-signals")
    return request.param


def inspect_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="cases", codename="inspect_case")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sees_inspector_link(client: Client) -> bool:
    response = client.get("/")
    assert response.status_code == 200
    return INSPECTOR_LINK in response.content.decode()


def give(user, how: str) -> None:
    inspectors = Group.objects.get(name="inspector")
    if how == "user.groups.add":
        user.groups.add(inspectors)
    elif how == "group.user_set.add":
        inspectors.user_set.add(user)
    elif how == "user.user_permissions.add":
        user.user_permissions.add(inspect_permission())
    elif how == "permission.user_set.add":
        inspect_permission().user_set.add(user)


def take(user, how: str) -> None:
    inspectors = Group.objects.get(name="inspector")
    if how == "user.groups.remove":
        user.groups.remove(inspectors)
    elif how == "user.groups.clear":
        user.groups.clear()
    elif how == "group.user_set.clear":
        inspectors.user_set.clear()
    elif how == "group.permissions.remove":
        inspectors.permissions.remove(inspect_permission())
    elif how == "group.permissions.clear":
        inspectors.permissions.clear()
    elif how == "permission.group_set.remove":
        inspect_permission().group_set.remove(inspectors)
    elif how == "permission.group_set.clear":
        inspect_permission().group_set.clear()
    elif how == "group deleted":
        inspectors.delete()


@pytest.mark.parametrize("how", ["user.groups.add", "group.user_set.add",
                                 "user.user_permissions.add", "permission.user_set.add"])
def test_a_role_given_shows_on_the_next_request(how):
    citizen = UserFactory()
    client = signed_in(citizen)
    assert not sees_inspector_link(client)
    assert not sees_inspector_link(client)  # now from the session
    give(get_user_model().objects.get(pk=citizen.pk), how)
    assert sees_inspector_link(client)


@pytest.mark.parametrize("how", [
    "user.groups.remove", "user.groups.clear", "group.user_set.clear",
    "group.permissions.remove", "group.permissions.clear", "permission.group_set.remove",
    "permission.group_set.clear", "group deleted"])
def test_a_role_taken_shows_on_the_next_request(how):
    inspector = UserFactory(staff=True, roles=["inspector"])
    client = signed_in(inspector)
    assert sees_inspector_link(client)
    assert sees_inspector_link(client)
    take(get_user_model().objects.get(pk=inspector.pk), how)
    assert not sees_inspector_link(client)


def test_saving_a_user_loaded_before_the_change_keeps_the_change():
    citizen = UserFactory()
    client = signed_in(citizen)
    assert not sees_inspector_link(client)
    loaded_before = get_user_model().objects.get(pk=citizen.pk)
    citizen.groups.add(Group.objects.get(name="inspector"))
    loaded_before.first_name = "سارا"
    loaded_before.save()
    assert sees_inspector_link(client)


def test_the_staff_idle_period_follows_a_role_given_mid_session():
    citizen = UserFactory()
    client = signed_in(citizen)
    first = client.get("/services/")
    assert first.wsgi_request.idle_timeout_seconds == settings.SESSION_IDLE_SECONDS_CITIZEN
    citizen.groups.add(Group.objects.get(name="inspector"))
    after = client.get("/services/")
    assert after.wsgi_request.idle_timeout_seconds == settings.SESSION_IDLE_SECONDS_STAFF


def test_a_login_never_starts_from_the_flags_an_earlier_session_kept():
    citizen = UserFactory()
    client = signed_in(citizen)
    client.get("/services/")
    assert SESSION_KEY in client.session
    client.force_login(citizen)
    assert SESSION_KEY not in client.session


def test_adding_what_is_already_there_moves_nobodys_role():
    """Every migrate re-adds the role groups' permissions (ensure_role_groups)."""
    from cases.accounts.roles import ensure_role_groups

    inspector = UserFactory(staff=True, roles=["inspector"])
    before = get_user_model().objects.get(pk=inspector.pk).roles_version
    ensure_role_groups()
    inspector.groups.add(Group.objects.get(name="inspector"))
    assert get_user_model().objects.get(pk=inspector.pk).roles_version == before
