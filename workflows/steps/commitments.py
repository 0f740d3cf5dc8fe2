"""The start node's own page: the commitments. A GET writes nothing; ticking and
pressing گام بعدی creates the process and the draft case."""

from django import forms
from django.shortcuts import redirect, render
from django.views import View

from cases.drafts import start_draft
from cases.models import Case

from ..wizard import next_url, stepper, tasks_created


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

    def render_page(self, form, status=200):
        steps = stepper(self.request.activation.flow_class, self.request.activation.flow_task.name)
        context = {
            "form": form,
            "steps": steps,
            "service_label": Case(service=self.service).get_service_display(),
            "commitments_template": self.commitments_template,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_page(CommitmentsForm(label=self.checkbox_label))

    def post(self, request, *args, **kwargs):
        form = CommitmentsForm(request.POST, label=self.checkbox_label)
        if not form.is_valid():
            return self.render_page(form, status=400)
        case = start_draft(self.service, request.user)
        request.activation.process.case = case
        with tasks_created() as created:
            request.activation.execute()
        return redirect(next_url(case, request.user, created))
