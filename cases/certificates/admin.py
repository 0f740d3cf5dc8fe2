"""Issued certificates in the admin: read only, with «صدور دوباره» and «ابطال» actions.

Nothing printed can be edited: the actions go through versions.py, which revokes and
reissues and records both on the case's timeline.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm

from cases.admin_mixins import ReadOnlyAdmin

from .models import Certificate
from .services import CertificateNotIssuable
from .versions import reissue_certificate, revoke_certificate

PERMISSION = "certificates.reissue_certificate"


class ReasonActionForm(ActionForm):
    reason = forms.CharField(label="علت", required=False, max_length=200)


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("issued_for", "kind", "version", "issued_at", "valid_until", "revoked_at")
    list_filter = ("kind",)
    search_fields = ("issued_for__tracking_number",)
    readonly_fields = [f.name for f in Certificate._meta.fields]
    action_form = ReasonActionForm
    actions = ["reissue", "revoke"]

    def has_reissue_permission(self, request) -> bool:
        return request.user.has_perm(PERMISSION)

    @admin.action(description="صدور دوباره (نسخه قبلی باطل می‌شود)", permissions=["reissue"])
    def reissue(self, request, queryset) -> None:
        reason = _reason(self, request)
        if reason is None:
            return
        for certificate in queryset.select_related("issued_for"):
            if certificate.case_id is None:
                self.message_user(request, f"{certificate}: نسخه جاری نیست.", messages.WARNING)
                continue
            try:
                fresh = reissue_certificate(certificate.issued_for, actor=request.user,
                                            reason=reason, replacing=certificate)
            except CertificateNotIssuable as error:
                self.message_user(request, f"{certificate}: صادر نشد ({error}).", messages.ERROR)
                continue
            self.message_user(request, f"{fresh} صادر شد.", messages.SUCCESS)

    @admin.action(description="ابطال", permissions=["reissue"])
    def revoke(self, request, queryset) -> None:
        reason = _reason(self, request)
        if reason is None:
            return
        for certificate in queryset:
            revoke_certificate(certificate, actor=request.user, reason=reason)
        self.message_user(request, "گواهی‌های انتخاب‌شده باطل شدند.", messages.SUCCESS)


def _reason(model_admin: CertificateAdmin, request) -> str | None:
    reason = request.POST.get("reason", "").strip()
    if not reason:
        model_admin.message_user(request, "علت را بنویسید.", messages.ERROR)
        return None
    return reason
