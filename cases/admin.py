"""Django admin for clerks: the registry, calendars and portal settings, in Persian."""

from django.contrib import admin
from solo.admin import SingletonModelAdmin

from .admin_mixins import ReadOnlyAdmin
from .appointments.models import LIVE_STATUSES
from .models import (
    Case,
    CaseEvent,
    District,
    Holiday,
    InspectionSlot,
    InspectorProfile,
    PortalSettings,
    Property,
    RegistryRecord,
    RenovationDebt,
)

admin.site.site_header = "مدیریت سامانه خدمات الکترونیک شهرداری"
admin.site.site_title = "مدیریت سامانه"
admin.site.index_title = "پیکربندی و ثبت املاک"


class RegistryRecordInline(admin.TabularInline):
    model = RegistryRecord
    extra = 0


class RenovationDebtInline(admin.TabularInline):
    model = RenovationDebt
    extra = 0
    readonly_fields = ("status", "settled_at", "settlement_reference")


@admin.register(Property)
class PropertyAdmin(admin.ModelAdmin):
    list_display = ("renovation_code", "district", "address", "registry_plate")
    list_filter = ("district",)
    search_fields = ("renovation_code", "address", "registry_plate", "owner_names")
    inlines = [RegistryRecordInline, RenovationDebtInline]


@admin.register(RegistryRecord)
class RegistryRecordAdmin(admin.ModelAdmin):
    list_display = ("request_number", "property", "subject", "answered_on", "certificate_number")
    search_fields = ("request_number", "certificate_number", "property__renovation_code")
    list_select_related = ("property",)


@admin.register(RenovationDebt)
class RenovationDebtAdmin(admin.ModelAdmin):
    list_display = ("property", "title", "amount_rials", "status", "settled_at")
    list_filter = ("status",)
    search_fields = ("property__renovation_code",)
    readonly_fields = ("status", "settled_at", "settlement_reference")
    list_select_related = ("property",)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("number", "name")


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "title")
    date_hierarchy = "date"


@admin.register(InspectorProfile)
class InspectorProfileAdmin(admin.ModelAdmin):
    list_display = ("user",)
    filter_horizontal = ("districts",)
    list_select_related = ("user",)


@admin.register(InspectionSlot)
class InspectionSlotAdmin(admin.ModelAdmin):
    list_display = ("inspector", "starts_at", "ends_at")
    list_filter = ("inspector",)
    date_hierarchy = "starts_at"
    list_select_related = ("inspector",)

    def get_readonly_fields(self, request, obj=None):
        # A booked hour moves only through appointments.reschedule, which tells the citizen
        # and moves the visit on the inspector's list; edited here it would do neither.
        if obj is not None and obj.appointments.filter(status__in=LIVE_STATUSES).exists():
            return ("inspector", "starts_at", "ends_at")
        return ()


admin.site.register(PortalSettings, SingletonModelAdmin)


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "name", "from_status", "to_status", "data")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Read-only: cases move only through the flows' guarded transitions."""

    list_display = ("tracking_number", "service", "status", "citizen", "registered_at")
    list_filter = ("service", "status")
    search_fields = ("tracking_number", "property__renovation_code", "citizen__username")
    list_select_related = ("citizen", "property")
    inlines = [CaseEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status="draft")
