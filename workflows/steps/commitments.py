"""The start node's own page: the commitments. A GET writes nothing; ticking and
pressing گام بعدی creates the process and the draft case.

The page also lists the citizen's unregistered drafts of the service, each with «ادامه»
and «حذف»: with DRAFTS_PER_SERVICE of them, گام بعدی starts nothing and says so."""

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.views import View

from cases.drafts import DraftLimitReached, start_draft
from cases.models import Case
from cases.persian import to_persian_digits

from ..drafts import listed_drafts
from ..wizard import Problem, next_url, stepper, tasks_created

MSG_TOO_MANY_DRAFTS = (
    "از هر خدمت حداکثر {limit} درخواست ثبت‌نشده می‌توانید داشته باشید و به این حد رسیده‌اید؛ "
    "درخواست تازه‌ای آغاز نشد. یکی از درخواست‌های ثبت‌نشده زیر را با «ادامه» پی بگیرید، "
    "یا یکی را با «حذف» پاک کنید و دوباره «گام بعدی» را بزنید."
)


class CommitmentsForm(forms.Form):
    accepted = forms.BooleanField(
        required=True,
        error_messages={"required": "برای ادامه، تعهدات را بخوانید و تأیید را بزنید."},
    )

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepted"].label = label


class CommitmentsView(View):
    service: str = ""
    checkbox_label: str = "تأیید"
    template_name = "wizard/commitments.html"
    commitments_template = ""

    def render_page(self, form, status=200, errors=()):
        steps = stepper(self.request.activation.flow_class, self.request.activation.flow_task.name)
        context = {
            "form": form,
            "steps": steps,
            "service_label": Case(service=self.service).get_service_display(),
            "commitments_template": self.commitments_template,
            "errors": list(errors),
            "drafts": listed_drafts(self.request.user, self.service),
            "drafts_limit": settings.DRAFTS_PER_SERVICE,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_page(CommitmentsForm(label=self.checkbox_label))

    def post(self, request, *args, **kwargs):
        form = CommitmentsForm(request.POST, label=self.checkbox_label)
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            case = start_draft(self.service, request.user)
        except DraftLimitReached:
            limit = to_persian_digits(settings.DRAFTS_PER_SERVICE)
            return self.render_page(form, status=409, errors=[
                Problem(MSG_TOO_MANY_DRAFTS.format(limit=limit), target="drafts")])
        request.activation.process.case = case
        with tasks_created() as created:
            request.activation.execute()
        return redirect(next_url(case, request.user, created))
