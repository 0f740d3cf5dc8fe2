from django.utils.translation import gettext_lazy as _
from oidc_provider.lib.claims import ScopeClaims


def userinfo(claims: dict, user) -> dict:
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["preferred_username"] = user.username
    claims["email"] = user.email
    claims["email_verified"] = bool(user.email)
    return claims


class NationalIdScopeClaims(ScopeClaims):
    info_national_id = (_("National ID"), _("Your national ID."))

    def scope_national_id(self) -> dict:
        citizen = getattr(self.user, "citizen", None)
        return {"national_id": citizen.national_id if citizen else None}
