from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("workflows.urls")),
    path("flows/", include("flows.urls")),
    path("accounts/", include("cases.accounts.urls")),
    path("documents/", include("cases.documents.urls")),
    path("verification/", include("cases.verification.urls")),
    path("payments/", include("cases.payments.urls")),
    path("certificates/", include("cases.certificates.urls")),
    path("verify/", include("cases.certificates.verify_urls")),
    path("bank/", include("integrations.payments.urls")),
    path("dev/sms/", include("integrations.sms.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# Each area appends its own routes inside its block, so edits never clash.
# --- sms (issue 5) ---
from integrations.sms.backends.twilio.webhook import status_callback as _twilio_status  # noqa: E402
from integrations.sms.views import short_link as _sms_short_link  # noqa: E402

urlpatterns += [
    # Short links in texts: /s/<code>/ → a case's «آخرین وضعیت» page (through login).
    path("s/<slug:code>/", _sms_short_link, name="sms_short_link"),
    # Twilio's delivery receipts for one outbox message; 403 without Twilio's signature.
    path("sms/twilio/<int:message_id>/status/", _twilio_status, name="sms_twilio_status"),
]
# --- end sms ---
# --- payments (issue 6) ---
# --- end payments ---
# --- documents, storage, certificates, verification API (issue 7) ---
from cases.certificates.api import api as verification_api  # noqa: E402

urlpatterns += [path("api/v1/", verification_api.urls)]
# --- end documents ---
# --- staff workspace (issue 8) ---
urlpatterns += [path("staff/", include("staff.urls"))]
# --- end staff ---
# --- deployment and observability (issue 9) ---
# /healthz, /readyz, /metrics (answered first by ops.middleware.ProbeMiddleware; named
# here so they resolve and reverse like any page).
urlpatterns += [path("", include("ops.urls"))]
# The database being unreachable gets «try again shortly» (503), not a bug page.
handler500 = "ops.views.server_error"
# --- end deployment ---
# --- identity and hardening (issue 9) ---
urlpatterns += [
    path("oidc/", include("cases.accounts.oidc_urls")),
    path("session/", include("web.session_urls")),
]
# --- end identity ---
# --- citizen experience (issue 11) ---
# --- end citizen experience ---
