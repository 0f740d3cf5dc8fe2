from django.contrib.auth.models import AbstractUser
from django.db import models

from cases.identity import validate_mobile, validate_national_id

from .roles import Role


class User(AbstractUser):
    """A citizen or a member of staff; staff roles are groups (see roles.py)."""

    national_id = models.CharField(
        "کد ملی",
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_national_id],
    )
    mobile = models.CharField(
        "شماره همراه", max_length=11, blank=True, validators=[validate_mobile]
    )
    # The number the person proved by an SMS code. Kept apart from `mobile` so that a
    # number changed by anyone (the admin, a future profile page) is unverified again
    # without every writer having to remember it: see `mobile_is_verified`.
    verified_mobile = models.CharField(
        "شماره همراه تاییدشده", max_length=11, blank=True, default="", db_default="",
        editable=False,
    )
    # Moved by every change to the person's groups or permissions (role_signals.py): the
    # role kept in their session is good while it matches (role_flags.py). The database
    # default lets code from before this column (a rolling deploy) still insert people.
    roles_version = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = "کاربر"
        verbose_name_plural = "کاربران"

    def save(self, *args, **kwargs) -> None:
        # roles_version is moved only by role_signals' UPDATE: saving an object loaded
        # before a role change (user.groups.add(g); user.save()) must not put back the old
        # number, or a session holding the flags of that number would keep them.
        if (not self._state.adding and kwargs.get("update_fields") is None
                and not kwargs.get("force_insert") and not args):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "roles_version" and f.attname not in deferred]
        super().save(*args, **kwargs)

    def has_role(self, role: Role) -> bool:
        return self.groups.filter(name=role.value).exists()

    @property
    def is_citizen(self) -> bool:
        # The request's role flags when they were read (role_flags.py keeps them on this
        # object and in the session): no second look at the groups in the same request.
        from .role_flags import ROLE_CACHE_ATTR

        flags = getattr(self, ROLE_CACHE_ATTR, None)
        in_group = flags.in_group if flags is not None else self.groups.exists()
        return not self.is_staff and not in_group

    @property
    def mobile_is_verified(self) -> bool:
        return bool(self.mobile) and self.verified_mobile == self.mobile

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
