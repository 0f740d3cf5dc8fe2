from django.contrib.auth.views import LogoutView
from django.urls import path

from . import code_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.CitizenLoginView.as_view(), name="login"),
    path("login/code/", code_views.login_code, name="login_code"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
]
