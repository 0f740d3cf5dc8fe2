import re

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from cases.identity import MobileNumberField, NationalIdField
from cases.persian import clean_number_input, fold_digits

from . import signin
from .models import User

USERNAME_LABEL = "نام کاربری (شناسه شهروندی)"
PASSWORD_LABEL = "کلمه عبور (رمز عبور)"


class CitizenLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "نام کاربری یا کلمه عبور درست نیست. دوباره تلاش کنید.",
        "inactive": "این حساب کاربری غیرفعال است.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = USERNAME_LABEL
        self.fields["password"].label = PASSWORD_LABEL

    def clean_username(self) -> str:
        return fold_digits(self.cleaned_data["username"]).strip()


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login page has no SMS code step: an account that needs one signs in
    on «ورود شهروندان» (the same session then opens the admin)."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if signin.step_after_password(self.request, user) is not None:
            raise forms.ValidationError(
                "ورود به این حساب از این دستگاه اکنون به کد پیامکی نیاز دارد؛ از صفحه "
                "«ورود شهروندان» وارد شوید.", code="code_required")


_CODE_SPACING = re.compile(r"[\s\-\u2010-\u2015\u2212]")


class OneTimeCodeInput(forms.TextInput):
    """Always drawn empty: a code that was refused is typed afresh, never shown back."""

    def format_value(self, value):
        return None


class CodeForm(forms.Form):
    """A six-digit code from an SMS, typed in any digit set, spaces and dashes allowed."""

    code = forms.CharField(
        label="کد تایید", max_length=20,
        error_messages={"required": "کد تایید پیامک‌شده را وارد کنید."},
        widget=OneTimeCodeInput(attrs={
            "inputmode": "numeric", "autocomplete": "one-time-code", "dir": "ltr"}),
    )

    def clean_code(self) -> str:
        code = _CODE_SPACING.sub("", clean_number_input(self.cleaned_data["code"]))
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError("کد تایید باید ۶ رقم باشد.")
        return code


class MobileVerificationForm(CodeForm):
    """The mobile to prove and, once a code was sent, the code («تایید»)."""

    mobile = MobileNumberField(
        label="شماره همراه", help_text="مانند ۰۹۱۲۱۲۳۴۵۶۷",
        error_messages={"required": "شماره همراه را وارد کنید."})

    field_order = ["mobile", "code"]

    def __init__(self, *args, needs_code: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = needs_code

    def clean_code(self) -> str:
        if not self.cleaned_data.get("code"):
            return ""  # only «دریافت کد تایید» leaves it empty (required otherwise)
        return super().clean_code()


class CitizenRegistrationForm(forms.ModelForm):
    national_id = NationalIdField(label="کد ملی")
    mobile = MobileNumberField(label="شماره همراه", help_text="مانند ۰۹۱۲۱۲۳۴۵۶۷")
    password1 = forms.CharField(
        label=PASSWORD_LABEL,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="دست‌کم ۱۰ نویسه؛ فقط عدد یا رمزهای رایج پذیرفته نمی‌شود.",
    )
    password2 = forms.CharField(
        label="تکرار کلمه عبور",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "national_id", "mobile", "username"]
        labels = {"first_name": "نام", "last_name": "نام خانوادگی", "username": USERNAME_LABEL}
        help_texts = {"username": "حروف لاتین، عدد و نویسه‌های @ . + - _ ؛ حداکثر ۱۵۰ نویسه."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True

    def clean_username(self) -> str:
        username = fold_digits(self.cleaned_data["username"]).strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("این نام کاربری پیش‌تر ثبت شده است.")
        return username

    def clean_national_id(self) -> str:
        national_id = self.cleaned_data["national_id"]
        if User.objects.filter(national_id=national_id).exists():
            raise forms.ValidationError("با این کد ملی پیش‌تر حساب کاربری ساخته شده است.")
        return national_id

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "دو کلمه عبور یکسان نیستند.")
        elif p1:
            candidate = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user
