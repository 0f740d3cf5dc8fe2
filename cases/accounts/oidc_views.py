"""The OpenID Connect start and callback views, absent (404) unless OIDC_ENABLED."""

import functools

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, resolve_url
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

MSG_FAILED = (
    "ورود با حساب شهروندی انجام نشد. دوباره تلاش کنید یا با نام کاربری و کلمه عبور وارد شوید."
)


class _OnlyWhenEnabled:
    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)

        def gated(request, *args, **kwargs):
            # mozilla-django-oidc reads its settings when the view is built, which fails
            # when they are unset; refuse before that.
            if not settings.OIDC_ENABLED:
                raise Http404
            return view(request, *args, **kwargs)

        return functools.update_wrapper(gated, view)


class CitizenOIDCStart(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    pass


class CitizenOIDCCallback(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    @property
    def success_url(self) -> str:
        # As the password login does: inspectors land on their visits unless sent elsewhere.
        if not self.request.session.get("oidc_login_next") and self.user.has_perm(
            "cases.inspect_case"
        ):
            return resolve_url("portal:inspector_inbox")
        return super().success_url

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, MSG_FAILED)
        return redirect(settings.LOGIN_REDIRECT_URL_FAILURE)
