from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .forms import AdminLoginForm
from .models import User


@admin.register(User)
class CitizenAwareUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "national_id", "mobile", "is_staff")
    search_fields = ("username", "first_name", "last_name", "national_id", "mobile")
    # The verified number only changes by its owner's SMS code (signin.py): shown, not edited.
    readonly_fields = ("verified_mobile",)
    fieldsets = UserAdmin.fieldsets + (
        ("شهروند", {"fields": ("national_id", "mobile", "verified_mobile")}),)


# The admin's own login page refuses a login that needs the SMS code step (forms.py).
admin.site.login_form = AdminLoginForm
