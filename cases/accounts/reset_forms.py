"""The forms of «فراموشی رمز عبور» (password_reset.py, reset_views.py)."""

from django import forms
from django.contrib.auth import password_validation

from cases.persian import fold_digits


class PasswordResetRequestForm(forms.Form):
    identifier = forms.CharField(
        label="شماره همراه یا نام کاربری", max_length=150,
        help_text="شماره همراهی که حساب با آن تایید شده است، یا نام کاربری.",
        error_messages={"required": "شماره همراه یا نام کاربری را وارد کنید."},
        widget=forms.TextInput(attrs={"autocomplete": "username", "dir": "ltr"}),
    )

    def clean_identifier(self) -> str:
        return fold_digits(self.cleaned_data["identifier"]).strip()


class NewPasswordForm(forms.Form):
    """A new password for one of the accounts the reset code opened (chosen when the
    phone holds several: family members often share one)."""

    account = forms.TypedChoiceField(
        label="حساب کاربری", coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "حسابی را که رمز آن را تازه می‌کنید انتخاب کنید."})
    password1 = forms.CharField(
        label="کلمه عبور تازه (رمز عبور)", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="دست‌کم ۱۰ نویسه؛ فقط عدد یا رمزهای رایج پذیرفته نمی‌شود.",
        error_messages={"required": "کلمه عبور تازه را وارد کنید."},
    )
    password2 = forms.CharField(
        label="تکرار کلمه عبور تازه", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "کلمه عبور تازه را دوباره وارد کنید."},
    )

    def __init__(self, *args, accounts: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.accounts = {user.pk: user for user in accounts}
        if len(accounts) > 1:
            self.fields["account"].choices = [(u.pk, u.username) for u in accounts]
        else:
            del self.fields["account"]

    def clean(self):
        cleaned = super().clean()
        user = self.user()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "دو کلمه عبور یکسان نیستند.")
        elif p1 and user is not None:
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def user(self):
        if "account" not in self.fields:
            return next(iter(self.accounts.values()), None)
        return self.accounts.get(self.cleaned_data.get("account"))
