"""Check your answers, then تایید و ثبت: the only moment a request comes to exist."""

from functools import cached_property

from cases.appointments import services as appointments
from cases.documents.services import case_documents
from cases.registration import register_transfer

from ..wizard import BACK, StepView, choose_step

CHANGEABLE = ("apartment", "documents", "appointment")


class ConfirmView(StepView):
    template_name = "wizard/confirm.html"

    @cached_property
    def live(self):
        """The held visit, read once per request (the page and its check both need it)."""
        return appointments.current(self.case)

    def get_context(self):
        return {
            "appointment": self.live,
            "documents": case_documents(self.case),
        }

    def problems(self):
        if self.live is None:
            return ["زمان بازدید دیگر نگه داشته نشده است؛ «تغییر» زمان بازدید را بزنید و دوباره انتخاب کنید."]
        return []

    def action_goto(self):
        target = self.request.POST.get("goto")
        if target not in CHANGEABLE:
            self.errors.append("این گام قابل تغییر نیست.")
            return None
        choose_step(self.activation.task, target)
        return self.complete(BACK)

    def post(self, request, *args, **kwargs):
        if request.POST.get("goto"):
            return self.action_goto() or self.render_step(status=400)
        if request.POST.get("action") == BACK:
            choose_step(self.activation.task, "appointment")
        elif request.POST.get("action") == "next":
            choose_step(self.activation.task, None)
        return super().post(request, *args, **kwargs)

    def on_forward(self):
        try:
            register_transfer(self.case, self.request.user)
        except appointments.SlotUnavailable as refused:
            self.__dict__.pop("live", None)
            self.case.refresh_from_db()
            self.errors.append(refused.message)
