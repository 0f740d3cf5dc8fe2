"""A change to who has which role moves the people's roles_version, so the flags kept in
their sessions (role_flags.py) are read afresh on their next request.

Covered: a person's groups and direct permissions (from either side of the relation), a
group's permissions (from either side) and a group deleted. A login drops the kept flags
too, so a new session never starts from an old one's.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F

from . import backends
from .role_flags import SESSION_KEY

def _changed(action: str, pk_set) -> bool:
    """A clear, or an add or remove that touched rows: adding what is already there (every
    migrate re-adds the role groups' permissions) changes nobody's role."""
    return action == "post_clear" or (action in ("post_add", "post_remove") and bool(pk_set))


def bump(**users) -> None:
    """roles_version + 1 for the users the filter names (one UPDATE), and their rows kept
    in the cache dropped (a queryset update sends no post_save)."""
    rows = get_user_model()._default_manager.filter(**users)
    if backends.enabled():
        pks = list(rows.values_list("pk", flat=True))
        rows = rows.model._default_manager.filter(pk__in=pks)
        backends.forget(pks)
    rows.update(roles_version=F("roles_version") + 1)


def _user_relation_changed(instance, action, reverse, pk_set, **_kwargs) -> None:
    """User.groups or User.user_permissions: `instance` is the user, or (reverse) the group
    or permission and pk_set the users; a reverse clear is seen before it empties."""
    if not reverse:
        if _changed(action, pk_set):
            bump(pk=instance.pk)
        return
    relation = "groups" if isinstance(instance, Group) else "user_permissions"
    if action == "pre_clear":
        bump(**{relation: instance})
    elif _changed(action, pk_set) and pk_set:
        bump(pk__in=pk_set)


def _group_permissions_changed(instance, action, reverse, pk_set, **_kwargs) -> None:
    """Group.permissions: every member of the groups concerned."""
    if not reverse:
        if _changed(action, pk_set):
            bump(groups=instance)
        return
    if action == "pre_clear":
        bump(groups__permissions=instance)
    elif _changed(action, pk_set) and pk_set:
        bump(groups__in=pk_set)


def _group_deleted(instance, **_kwargs) -> None:
    bump(groups=instance)


def _logged_in(request, **_kwargs) -> None:
    if hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in
    from django.db.models.signals import m2m_changed, pre_delete

    user = get_user_model()
    for through in (user.groups.through, user.user_permissions.through):
        m2m_changed.connect(_user_relation_changed, sender=through,
                            dispatch_uid=f"accounts.roles_changed.{through.__name__}")
    m2m_changed.connect(_group_permissions_changed, sender=Group.permissions.through,
                        dispatch_uid="accounts.group_permissions_changed")
    pre_delete.connect(_group_deleted, sender=Group, dispatch_uid="accounts.group_deleted")
    user_logged_in.connect(_logged_in, dispatch_uid="accounts.role_flags_on_login")

