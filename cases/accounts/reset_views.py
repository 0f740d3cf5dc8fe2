"""«فراموشی رمز عبور»: ask (mobile or username) → the code → a new password.
password_reset.py holds the rules; these pages only carry them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import password_reset, signin
from .forms import CodeForm
from .reset_forms import NewPasswordForm, PasswordResetRequestForm

MSG_START = "ابتدا شماره همراه یا نام کاربری خود را وارد کنید."
MSG_DONE = "کلمه عبور تازه ثبت شد و وارد شدید؛ دیگر نشست‌ها و دستگاه‌های این حساب بیرون رفتند."


@require_http_methods(["GET", "HEAD", "POST"])
def request_code(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset.request_code(request, form.cleaned_data["identifier"])
        messages.info(request, password_reset.MSG_REQUESTED)
        return redirect("accounts:password_reset_code")
    return render(request, "accounts/password_reset.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    if password_reset.current(request) is None:
        messages.info(request, MSG_START)
        return redirect("accounts:password_reset")
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "send_code":
        password_reset.resend(request)
        messages.info(request, password_reset.MSG_REQUESTED)
        return redirect("accounts:password_reset_code")
    form = CodeForm(request.POST if action == "check_code" else None)
    if action == "check_code" and form.is_valid():
        outcome = password_reset.check(request, form.cleaned_data["code"])
        if outcome.ok:
            return redirect("accounts:password_reset_new")
        form.add_error("code", outcome.message)
    return render(request, "accounts/password_reset_code.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def new_password(request: HttpRequest) -> HttpResponse:
    accounts = password_reset.verified_accounts(request)
    if not accounts:
        messages.info(request, MSG_START)
        return redirect("accounts:password_reset")
    form = NewPasswordForm(request.POST or None, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        user = form.user()
        password_reset.set_new_password(request, user, form.cleaned_data["password1"])
        messages.success(request, MSG_DONE)
        # The phone is proven, so no code step; the pair's failures are cleared on login.
        return signin.finish(request, user)
    return render(request, "accounts/password_reset_new.html", {"form": form})
