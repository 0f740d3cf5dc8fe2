"""Mounted at /oidc/; mozilla-django-oidc reverses these names without a namespace."""

from django.urls import path

from . import oidc_views

urlpatterns = [
    path("authenticate/", oidc_views.CitizenOIDCStart.as_view(), name="oidc_authentication_init"),
    path("callback/", oidc_views.CitizenOIDCCallback.as_view(),
         name="oidc_authentication_callback"),
]
