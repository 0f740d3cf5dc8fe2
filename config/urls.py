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
# --- end sms ---
# --- payments (issue 6) ---
# --- end payments ---
# --- documents, storage, certificates, verification API (issue 7) ---
# --- end documents ---
# --- staff workspace (issue 8) ---
# --- end staff ---
# --- deployment and observability (issue 9) ---
# --- end deployment ---
# --- identity and hardening (issue 9) ---
# --- end identity ---
# --- citizen experience (issue 11) ---
# --- end citizen experience ---
