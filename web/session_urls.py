from django.urls import path

from . import session_timeout

app_name = "session"

urlpatterns = [
    path("extend/", session_timeout.extend, name="extend"),
]
