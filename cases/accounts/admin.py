from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class CitizenAwareUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "national_id", "mobile", "is_staff")
    search_fields = ("username", "first_name", "last_name", "national_id", "mobile")
    fieldsets = UserAdmin.fieldsets + (("شهروند", {"fields": ("national_id", "mobile")}),)
