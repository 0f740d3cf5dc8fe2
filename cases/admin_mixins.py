from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through guarded transitions or services."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
