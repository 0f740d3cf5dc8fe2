from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from cases.identity import MobileNumberField, NationalIdField
from cases.persian import fold_digits

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
