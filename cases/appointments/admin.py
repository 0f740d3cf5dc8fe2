"""Read-only admin view of appointments: they change only through the services."""

from django.contrib import admin

from cases.admin_mixins import ReadOnlyAdmin

from .models import Appointment


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ("case", "slot", "status", "held_until", "booked_at")
    list_filter = ("status",)
    list_select_related = ("case", "slot__inspector")
    search_fields = ("case__tracking_number",)
    readonly_fields = ("case", "slot", "status", "held_until", "created_at", "booked_at")
