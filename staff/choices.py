"""The staff forms' choices that change rarely, cached: districts and who may take a task.

Every filter form of the workspace offers them; reading them on each page would be a
query each. They are kept in the shared cache and dropped when what they list changes
(a district edited, a person's name, activity or groups changed). With a per-process
cache (LocMem, no Redis) another process learns of a change within CHOICES_SECONDS.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from cases.models import District

DISTRICTS_KEY = "staff:choices:districts"
ASSIGNEES_KEY = "staff:choices:assignees"
CHOICES_SECONDS = 300
ASSIGNEE_GROUPS = ["inspector", "supervisor"]


def assignees():
    """Who may receive a task: active members of the inspector or supervisor groups."""
    return (get_user_model().objects.filter(is_active=True, groups__name__in=ASSIGNEE_GROUPS)
            .distinct().order_by("last_name", "first_name"))


def district_choices() -> list[tuple[int, str]]:
    def read() -> list[tuple[int, str]]:
        return list(District.objects.order_by("number").values_list("number", "name"))

    return cache.get_or_set(DISTRICTS_KEY, read, CHOICES_SECONDS)


def assignee_choices() -> list[tuple[int, str]]:
    def read() -> list[tuple[int, str]]:
        return [(u.pk, u.get_full_name() or u.username)
                for u in assignees().only("pk", "username", "first_name", "last_name")]

    return cache.get_or_set(ASSIGNEES_KEY, read, CHOICES_SECONDS)


def _forget_districts(**_) -> None:
    cache.delete(DISTRICTS_KEY)


def _forget_assignees(**_) -> None:
    cache.delete(ASSIGNEES_KEY)


def connect() -> None:
    """Called once from the app's ready(): the signals that make a cached list stale."""
    user = get_user_model()
    post_save.connect(_forget_districts, sender=District, dispatch_uid="staff-districts-save")
    post_delete.connect(_forget_districts, sender=District, dispatch_uid="staff-districts-del")
    # Any save of a person: a login writes last_login too, which only costs a refill.
    post_save.connect(_forget_assignees, sender=user, dispatch_uid="staff-assignees-save")
    post_delete.connect(_forget_assignees, sender=user, dispatch_uid="staff-assignees-del")
    m2m_changed.connect(_forget_assignees, sender=user.groups.through,
                        dispatch_uid="staff-assignees-groups")
