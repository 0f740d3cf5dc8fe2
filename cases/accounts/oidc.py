"""Login through the city's OpenID Connect identity service (mozilla-django-oidc).

Who the provider's person is, in order:
1. a valid national-ID claim (OIDC_NATIONAL_ID_CLAIM) matching a User.national_id;
2. a member of staff whose username equals OIDC_STAFF_USERNAME_CLAIM — matched only,
   never created: roles are given in the city's own admin, not by the provider;
3. otherwise, with a valid national ID, a new citizen account.
No national ID and no staff match: no login.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from cases.identity import validate_national_id

log = logging.getLogger(__name__)


def national_id_from(claims: dict) -> str | None:
    raw = claims.get(settings.OIDC_NATIONAL_ID_CLAIM)
    if raw in (None, ""):
        return None
    try:
        return validate_national_id(str(raw))
    except ValidationError:
        log.warning("oidc_invalid_national_id_claim")
        return None


def _staff(queryset):
    return queryset.filter(Q(is_staff=True) | Q(groups__isnull=False)).distinct()


def _free_username(national_id: str) -> str:
    User = get_user_model()
    for candidate in (national_id, f"nid-{national_id}"):
        if not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    raise IntegrityError("no free username for this national ID")


def resolve_user(claims: dict):
    """The local account for these verified claims, or None (see the module's docstring)."""
    User = get_user_model()
    national_id = national_id_from(claims)
    if national_id:
        user = User.objects.filter(national_id=national_id).first()
        if user is not None:
            return user
    staff_claim = settings.OIDC_STAFF_USERNAME_CLAIM
    staff_username = str(claims.get(staff_claim) or "").strip() if staff_claim else ""
    if staff_username:
        staff = _staff(User.objects.filter(username__iexact=staff_username)).first()
        if staff is not None:
            return staff
    if not national_id:
        log.warning("oidc_login_refused_no_identity")
        return None
    try:
        with transaction.atomic():
            user = User(
                username=_free_username(national_id),
                national_id=national_id,
                first_name=str(claims.get("given_name") or "")[:150],
                last_name=str(claims.get("family_name") or "")[:150],
                email=str(claims.get("email") or "")[:254] if claims.get("email_verified") else "",
            )
            user.set_unusable_password()
            user.save()
    except IntegrityError:
        # The same person signing in twice at once: the other request created the row.
        user = User.objects.filter(national_id=national_id).first()
    log.info("oidc_citizen_created", extra={"user_id": getattr(user, "pk", None)})
    return user


class CityOIDCBackend(OIDCAuthenticationBackend):
    """Inactive (answers nothing) unless OIDC_ENABLED, so local logins never depend on it."""

    def __init__(self, *args, **kwargs):
        self.enabled = getattr(settings, "OIDC_ENABLED", False)
        if self.enabled:
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not self.enabled:
            return None
        return super().authenticate(request, **kwargs)

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        # The ID token's subject must be the userinfo's (OpenID Connect Core 5.3.2).
        if claims.get("sub") != payload.get("sub"):
            log.warning("oidc_userinfo_subject_mismatch")
            return None
        return resolve_user(claims)

    def get_user(self, user_id):
        if not self.enabled:
            return None
        return super().get_user(user_id)
