from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import signin
from .code_views import start_mobile_verification, start_step
from .forms import CitizenLoginForm, CitizenRegistrationForm


class CitizenLoginView(LoginView):
    form_class = CitizenLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        return context

    def get_default_redirect_url(self) -> str:
        return signin.landing_url(self.request.user)

    def form_valid(self, form):
        # The password was right; a step may still stand before the session (signin.py).
        user = form.get_user()
        step = signin.step_after_password(self.request, user)
        if step is None:
            return signin.finish(self.request, user, self.get_redirect_url())
        return start_step(self.request, user, step, self.get_redirect_url())


@require_http_methods(["GET", "HEAD", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:services")
    form = CitizenRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The account exists, but is signed in to only once its mobile is proven.
        user = form.save()
        messages.success(request, "حساب کاربری شما ساخته شد.")
        return start_mobile_verification(request, user)
    return render(request, "accounts/register.html", {"form": form})
