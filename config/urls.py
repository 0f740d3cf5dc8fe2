from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from cases.certificates.api import api as verification_api
from integrations.sms.backends.twilio.webhook import status_callback as twilio_status
from integrations.sms.views import short_link as sms_short_link

urlpatterns = [
    # The portal: home, خدمات اختصاصی, درخواست های پیشین, آخرین وضعیت, the inspector's visits.
    path("", include("workflows.urls")),
    # /healthz, /readyz, /metrics (answered first by ops.middleware.ProbeMiddleware; named
    # here so they resolve and reverse like any page).
    path("", include("ops.urls")),
    path("flows/", include("flows.urls")),
    path("accounts/", include("cases.accounts.urls")),
    path("oidc/", include("cases.accounts.oidc_urls")),
    path("session/", include("web.session_urls")),
    path("documents/", include("cases.documents.urls")),
    path("payments/", include("cases.payments.urls")),
    path("certificates/", include("cases.certificates.urls")),
    path("verify/", include("cases.certificates.verify_urls")),
    path("api/v1/", verification_api.urls),
    path("staff/", include("staff.urls")),
    # The sandbox bank's page (404 unless the sandbox is the configured gateway).
    path("bank/", include("integrations.payments.urls")),
    # Short links in texts: /s/<code>/ → a case's «آخرین وضعیت» page (through login).
    path("s/<slug:code>/", sms_short_link, name="sms_short_link"),
    # Twilio's delivery receipts for one outbox message; 403 without Twilio's signature.
    path("sms/twilio/<int:message_id>/status/", twilio_status, name="sms_twilio_status"),
    path("dev/sms/", include("integrations.sms.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# The database being unreachable gets «try again shortly» (503), not a bug page.
handler500 = "ops.views.server_error"
