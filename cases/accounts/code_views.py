"""The SMS code steps between a right password and a session (signin.py says when): the
login code of an account under attack, and the verification of a citizen's mobile."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cases.persian import to_persian_digits

from . import lockout, signin
from .forms import CodeForm, MobileVerificationForm
from .signin import Step

MSG_CODE_SENT = "کد تایید به شماره همراه {} فرستاده شد."
MSG_START_AGAIN = "مهلت ورود با کد به پایان رسید؛ دوباره نام کاربری و کلمه عبور را وارد کنید."
MSG_MOBILE_SENT = "کد تایید به شماره {} فرستاده شد."
MSG_VERIFY_FIRST = "برای ادامه، شماره همراه خود را با کد پیامکی تایید کنید."
MSG_VERIFIED = "شماره همراه شما تایید شد و وارد شدید."


def masked(phone: str) -> str:
    """0912•••4567 in Persian digits: enough for the owner to recognise their number,
    too little for someone who only has the password to learn it."""
    return to_persian_digits(f"{phone[:4]}•••{phone[-4:]}") if phone else ""


def start_step(request: HttpRequest, user, step: Step, next_url: str) -> HttpResponse:
    """The password was right and `step` comes before the session."""
    if step is Step.VERIFY_MOBILE:
        signin.begin(request, user, step, next_url)
        messages.info(request, MSG_VERIFY_FIRST)
        return redirect("accounts:verify_mobile")
    phone = signin.login_code_phone(user)
    if not phone:
        seconds = lockout.code_required_for(user.get_username()) or 1
        return lockout.locked_response(request, seconds, lockout.MSG_NO_MOBILE)
    signin.begin(request, user, step, next_url)
    _send(request, user)
    return redirect("accounts:login_code")


def _send(request: HttpRequest, user) -> HttpResponse | None:
    """Send a login code; a refusal (cooldown, hourly caps) is the page with 429 and
    Retry-After when it says how long to wait."""
    outcome = signin.send_login_code(request, user)
    if outcome.ok:
        messages.success(request, MSG_CODE_SENT.format(masked(signin.login_code_phone(user))))
        return None
    messages.error(request, outcome.message)
    return _refused(request, user, outcome) if outcome.retry_after else None


def _refused(request: HttpRequest, user, outcome) -> HttpResponse:
    response = _page(request, user, CodeForm(), status=429)
    response["Retry-After"] = str(outcome.retry_after)
    return response


def _start_again(request: HttpRequest) -> HttpResponse:
    """No sign-in waits for this step (it expired, or the page was opened directly)."""
    messages.info(request, MSG_START_AGAIN)
    return redirect("accounts:login")


def _page(request: HttpRequest, user, form: CodeForm, status: int = 200) -> HttpResponse:
    return render(request, "accounts/login_code.html", {
        "form": form, "phone": masked(signin.login_code_phone(user)),
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    pending = signin.pending(request, Step.LOGIN_CODE)
    if pending is None:
        return _start_again(request)
    user = pending.user
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "send_code":
        return _send(request, user) or redirect("accounts:login_code")
    form = CodeForm(request.POST if action == "check_code" else None)
    if action == "check_code" and form.is_valid():
        outcome = signin.check_login_code(user, form.cleaned_data["code"])
        if outcome.ok:
            return signin.finish(request, user, pending.next_url)
        form.add_error("code", outcome.message)
    return _page(request, user, form)


def start_mobile_verification(request: HttpRequest, user) -> HttpResponse:
    """Just registered: the code goes to the number given, unasked."""
    signin.begin(request, user, Step.VERIFY_MOBILE, "")
    outcome = signin.send_mobile_code(request, user, user.mobile)
    if outcome.ok:
        messages.success(request, MSG_MOBILE_SENT.format(to_persian_digits(user.mobile)))
    else:
        messages.error(request, outcome.message)
    return redirect("accounts:verify_mobile")


@require_http_methods(["GET", "HEAD", "POST"])
def verify_mobile(request: HttpRequest) -> HttpResponse:
    pending = signin.pending(request, Step.VERIFY_MOBILE)
    if pending is None:
        return _start_again(request)
    user = pending.user
    action = request.POST.get("action") if request.method == "POST" else None
    initial = {"mobile": pending.phone or user.mobile}
    if action not in ("send_code", "check_code"):
        return _mobile_page(request, MobileVerificationForm(initial=initial))
    form = MobileVerificationForm(request.POST, needs_code=action == "check_code")
    if not form.is_valid():
        return _mobile_page(request, form)
    mobile = form.cleaned_data["mobile"]
    if action == "send_code":
        return _send_mobile_code(request, user, form)
    outcome = signin.check_mobile_code(user, mobile, form.cleaned_data["code"])
    if outcome.ok:
        messages.success(request, MSG_VERIFIED)
        return signin.finish(request, user, pending.next_url)
    form.add_error("code", outcome.message)
    return _mobile_page(request, form)


def _send_mobile_code(request: HttpRequest, user, form) -> HttpResponse:
    """A refusal that says how long to wait (cooldown, hourly caps) is 429 + Retry-After."""
    mobile = form.cleaned_data["mobile"]
    outcome = signin.send_mobile_code(request, user, mobile)
    if outcome.ok:
        messages.success(request, MSG_MOBILE_SENT.format(to_persian_digits(mobile)))
        return redirect("accounts:verify_mobile")
    form.add_error("mobile", outcome.message)
    response = _mobile_page(request, form, status=429 if outcome.retry_after else 200)
    if outcome.retry_after:
        response["Retry-After"] = str(outcome.retry_after)
    return response


def _mobile_page(request: HttpRequest, form, status: int = 200) -> HttpResponse:
    return render(request, "accounts/verify_mobile.html", {"form": form}, status=status)
