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

    class Meta(AbstractUser.Meta):
        verbose_name = "کاربر"
        verbose_name_plural = "کاربران"

    def has_role(self, role: Role) -> bool:
        return self.groups.filter(name=role.value).exists()

    @property
    def is_citizen(self) -> bool:
        return not self.is_staff and not self.groups.exists()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
