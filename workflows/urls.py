from django.urls import path

from .views import cases, drafts, inbox, portal

app_name = "portal"

urlpatterns = [
    path("", portal.home, name="home"),
    path("services/", portal.services, name="services"),
    path("services/requests/", portal.previous_requests, name="previous_requests"),
    path(
        "services/transfer/", portal.service_page, {"service": "transfer"}, name="transfer"
    ),
    path("services/inquiry/", portal.service_page, {"service": "inquiry"}, name="inquiry"),
    path("services/cases/<int:case_id>/", cases.case_status, name="case_status"),
    path("services/cases/<int:case_id>/delete/", drafts.delete_draft, name="delete_draft"),
    path("staff/visits/", inbox.inspector_inbox, name="inspector_inbox"),
]
