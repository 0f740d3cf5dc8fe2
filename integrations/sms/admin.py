from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from . import texts
from .models import MessageStatus, OutboxMessage, SmsTemplate
from .outbox import retry_failed

@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: the outbox is a record of what was sent, not something to edit.
    Filter on «ناموفق» for the messages that gave up after every try."""

    list_display = ("created_at", "to", "kind", "status", "attempts", "sent_at", "correlation")
    list_filter = ("status", "kind")
    search_fields = ("to", "correlation", "provider_id")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["send_failed_again"]

    @admin.action(description="ارسال دوبارهٔ پیامک‌های ناموفق انتخاب‌شده")
    def send_failed_again(self, request, queryset) -> None:
        failed = list(queryset.filter(status=MessageStatus.FAILED))
        for message in failed:
            retry_failed(message)
        self.message_user(request, f"{len(failed)} پیامک دوباره در صف ارسال قرار گرفت",
                          messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

class SmsTemplateForm(forms.ModelForm):
    class Meta:
        model = SmsTemplate
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6, "dir": "rtl"})}

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        try:
            texts.check(body, self.instance.variables, self.instance.sample)
        except texts.TemplateInvalid as exc:
            raise forms.ValidationError(str(exc)) from exc
        return body

@admin.register(SmsTemplate)
class SmsTemplateAdmin(admin.ModelAdmin):
    """Clerks edit the wording; which kinds exist and what they may say is the code's."""

    form = SmsTemplateForm
    list_display = ("title", "kind", "segment_count", "updated_at")
    readonly_fields = ("kind", "allowed_variables", "preview", "segment_count", "updated_at")
    fields = ("kind", "title", "body", "allowed_variables", "preview", "segment_count",
              "updated_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="متغیرهای مجاز")
    def allowed_variables(self, obj: SmsTemplate) -> str:
        return "، ".join("{{ %s }}" % name for name in obj.variables)

    def _sample_text(self, obj: SmsTemplate) -> str | None:
        try:
            return texts.check(obj.body, obj.variables, obj.sample)
        except texts.TemplateInvalid:
            return None

    @admin.display(description="پیش‌نمایش با داده نمونه")
    def preview(self, obj: SmsTemplate) -> str:
        text = self._sample_text(obj)
        if text is None:
            return "الگو نادرست است"
        return format_html('<pre dir="rtl" style="white-space: pre-wrap">{}</pre>', text)

    @admin.display(description="تعداد پیامک")
    def segment_count(self, obj: SmsTemplate) -> str:
        text = self._sample_text(obj)
        if text is None:
            return "—"
        parts = texts.segments(text)
        return f"{parts.count} پیامک ({parts.units} نویسه، {parts.encoding})"

