"""A person's role as the site's shell needs it: read once, then kept in the session.

The flags come from the groups and permissions tables (one query), are stored in the
person's session beside the user's `roles_version`, and are read again only when that
version moved: role_signals.py bumps it whenever the person's groups or permissions, or a
group's permissions, change. The user row is read on every signed-in request anyway, so
a role given or taken shows on the person's very next request, in every process.
"""

from __future__ import annotations

from dataclasses import dataclass

# Where the flags are kept on the request's user object, so every reader of one request
# (the idle-timeout middleware, the page's navigation) shares a single lookup.
ROLE_CACHE_ATTR = "_portal_role_flags"
# Where they are kept between requests: [roles_version, in_group, supervise, inspect].
SESSION_KEY = "_role_flags"


@dataclass(frozen=True)
class RoleFlags:
    """What the shell needs to know about a person: any role group, and the staff perms."""

    in_group: bool = False
    supervise: bool = False
    inspect: bool = False


def role_flags(user, session=None) -> RoleFlags:
    """The person's role; same answers as `user.has_perm("cases.…")` with the model backend
    (superusers have every permission). With the request's session, the stored flags are
    used while the user's roles_version has not moved, and stored when read afresh."""
    if user is None:
        return RoleFlags()
    cached = getattr(user, ROLE_CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        flags = RoleFlags()
    else:
        flags = _with_superuser(user, _stored_or_queried(user, session))
    setattr(user, ROLE_CACHE_ATTR, flags)
    return flags


def _stored_or_queried(user, session) -> tuple[bool, bool, bool]:
    version = getattr(user, "roles_version", None)
    stored = session.get(SESSION_KEY) if session is not None else None
    if stored is not None and version is not None and stored[0] == version:
        return tuple(bool(flag) for flag in stored[1:])
    found = _query_flags(user)
    if session is not None and version is not None:
        session[SESSION_KEY] = [version, *found]
    return found


def _with_superuser(user, found: tuple[bool, bool, bool]) -> RoleFlags:
    # From the user row, read afresh on every request: never kept with the flags.
    in_group, supervise, inspect = found
    superuser = user.is_active and user.is_superuser
    return RoleFlags(in_group=in_group, supervise=supervise or superuser,
                     inspect=inspect or superuser)


def _query_flags(user) -> tuple[bool, bool, bool]:
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
    return (False, False, False) if row is None else tuple(row)
