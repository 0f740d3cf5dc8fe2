from django.contrib.auth.views import LogoutView
from django.urls import path

from . import code_views, reset_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.CitizenLoginView.as_view(), name="login"),
    path("login/code/", code_views.login_code, name="login_code"),
    path("login/mobile/", code_views.verify_mobile, name="verify_mobile"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("password/reset/", reset_views.request_code, name="password_reset"),
    path("password/reset/code/", reset_views.enter_code, name="password_reset_code"),
    path("password/reset/new/", reset_views.new_password, name="password_reset_new"),
]
