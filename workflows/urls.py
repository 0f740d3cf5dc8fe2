from django.urls import path

from .views import portal

app_name = "portal"

urlpatterns = [
    path("", portal.home, name="home"),
    path("services/", portal.services, name="services"),
    path("services/requests/", portal.previous_requests, name="previous_requests"),
    path(
        "services/transfer/", portal.service_page, {"service": "transfer"}, name="transfer"
    ),
    path("services/inquiry/", portal.service_page, {"service": "inquiry"}, name="inquiry"),
]
