from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.http import require_http_methods

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
        # Inspectors land on their visits; everyone else on خدمات اختصاصی.
        if self.request.user.has_perm("cases.supervise_case"):
            return resolve_url("staff:dashboard", "transfer")
        if self.request.user.has_perm("cases.inspect_case"):
            return resolve_url("portal:inspector_inbox")
        return super().get_default_redirect_url()


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:services")
    form = CitizenRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="cases.accounts.backends.CachedModelBackend")
        messages.success(request, "حساب کاربری شما ساخته شد و وارد شدید.")
        return redirect("portal:services")
    return render(request, "accounts/register.html", {"form": form})
