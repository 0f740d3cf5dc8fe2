from django.contrib import admin

from .models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Read-only: a payment changes only through the payment services."""

    list_display = ("order_id", "case", "amount_rials", "status", "refund_due", "created_at")
    list_filter = ("status", "refund_due")
    search_fields = ("order_id", "reference", "case__tracking_number")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
