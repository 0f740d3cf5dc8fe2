"""تسویه عوارض, then ثبت درخواست و صدور: an inquiry is registered once fees are settled.

Nothing asks the citizen to confirm their answers before ثبت درخواست و صدور, so this page
also shows them (the property, the letter, the documents), each with its own «تغییر»
that goes back to the step where it is answered.
"""

from cases.registration import register_inquiry

from ..wizard import BACK, StepView
from .fees import FeesView

# Where each change link leads: the documents step is the one the flow goes back to.
DOCUMENTS, PROPERTY = "documents", "property"


def routes_back_to(view: StepView) -> set[str]:
    """The steps the flow's gateway after this step can lead to (besides onward): a
    change link is offered only for a step the flow can go back to from here."""
    gateway = view.activation.flow_task._next  # viewflow keeps the Next() node here
    return {edge.dst.name for edge in gateway._outgoing()}


class InquiryFeesView(FeesView):
    template_name = "wizard/inquiry_fees.html"
    can_go_back = True

    def get_context(self):
        routes = routes_back_to(self)
        return {
            **super().get_context(),
            "documents": list(self.case.documents.order_by("uploaded_at")),
            "change_documents": DOCUMENTS if DOCUMENTS in routes else "",
            "change_property": PROPERTY if PROPERTY in routes else "",
        }

    def post(self, request, *args, **kwargs):
        target = request.POST.get("goto")
        if target:
            if target not in routes_back_to(self) or target not in (DOCUMENTS, PROPERTY):
                self.errors.append("این گام قابل تغییر نیست.")
                return self.render_step(status=400)
            self.process.data = {**self.process.data, "goto": target}
            return self.complete(BACK)
        # گام قبلی and ثبت درخواست و صدور name no step: a change asked for earlier is over.
        self.process.data = {**self.process.data, "goto": None}
        return super().post(request, *args, **kwargs)

    def on_forward(self):
        register_inquiry(self.case, self.request.user)
