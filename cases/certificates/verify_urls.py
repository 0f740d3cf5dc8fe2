from django.urls import path

from . import views_verify

app_name = "verify"

urlpatterns = [
    path("", views_verify.verify_page, name="page"),
    path("file/", views_verify.verify_file, name="file"),
]
