"""The SMS code step between a right password and a session (signin.py says when)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cases.persian import to_persian_digits

from . import lockout, signin
from .forms import CodeForm
from .signin import Step

MSG_CODE_SENT = "کد تایید به شماره همراه {} فرستاده شد."
MSG_START_AGAIN = "مهلت ورود با کد به پایان رسید؛ دوباره نام کاربری و کلمه عبور را وارد کنید."


def masked(phone: str) -> str:
    """0912•••4567 in Persian digits: enough for the owner to recognise their number,
    too little for someone who only has the password to learn it."""
    return to_persian_digits(f"{phone[:4]}•••{phone[-4:]}") if phone else ""


def start_step(request: HttpRequest, user, step: Step, next_url: str) -> HttpResponse:
    """The password was right and `step` comes before the session."""
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


def _page(request: HttpRequest, user, form: CodeForm, status: int = 200) -> HttpResponse:
    return render(request, "accounts/login_code.html", {
        "form": form, "phone": masked(signin.login_code_phone(user)),
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    pending = signin.pending(request, Step.LOGIN_CODE)
    if pending is None:
        messages.info(request, MSG_START_AGAIN)
        return redirect("accounts:login")
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
