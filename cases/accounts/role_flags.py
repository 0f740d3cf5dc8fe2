"""A person's role as the site's shell needs it: one query per request."""

from __future__ import annotations

from dataclasses import dataclass

# Where the flags are kept on the request's user object, so every reader of one request
# (the idle-timeout middleware, the page's navigation) shares a single query.
_ROLE_CACHE_ATTR = "_portal_role_flags"


@dataclass(frozen=True)
class RoleFlags:
    """What the shell needs to know about a person: any role group, and the staff perms."""

    in_group: bool = False
    supervise: bool = False
    inspect: bool = False


def role_flags(user) -> RoleFlags:
    """The person's role, in one query per request instead of Django's two permission
    queries (user + group permissions) plus a group query; same answers as
    `user.has_perm("cases.…")` with the model backend (superusers have every permission)."""
    if user is None:
        return RoleFlags()
    cached = getattr(user, _ROLE_CACHE_ATTR, None)
    if cached is not None:
        return cached
    flags = _query_flags(user) if user.is_authenticated else RoleFlags()
    setattr(user, _ROLE_CACHE_ATTR, flags)
    return flags


def _query_flags(user) -> RoleFlags:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Exists, OuterRef, Q

    def has(codename: str) -> Exists:
        return Exists(Permission.objects.filter(
            Q(group__user=OuterRef("pk")) | Q(user=OuterRef("pk")),
            content_type__app_label="cases", codename=codename))

    row = (get_user_model()._default_manager.filter(pk=user.pk)
           .annotate(in_group=Exists(Group.objects.filter(user=OuterRef("pk"))),
                     supervise=has("supervise_case"), inspect=has("inspect_case"))
           .values_list("in_group", "supervise", "inspect").first())
    if row is None:
        return RoleFlags()
    in_group, supervise, inspect = row
    superuser = user.is_active and user.is_superuser
    return RoleFlags(in_group=in_group, supervise=supervise or superuser,
                     inspect=inspect or superuser)
