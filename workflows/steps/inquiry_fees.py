"""تسویه عوارض, then ثبت درخواست و صدور: an inquiry is registered once fees are settled.

Nothing asks the citizen to confirm their answers before ثبت درخواست و صدور, so this page
also shows them (the property, the letter, the documents). The flow can only go back from
here to the documents step (after_fees: not registered → documents), so the letter and
the images carry «تغییر»; it is the same move as گام قبلی.
"""

from cases.documents.services import case_documents
from cases.registration import register_inquiry

from ..wizard import BACK
from .fees import FeesView

DOCUMENTS = "documents"  # the one step a «تغییر» here leads to


class InquiryFeesView(FeesView):
    template_name = "wizard/inquiry_fees.html"
    can_go_back = True

    def get_context(self):
        return {
            **super().get_context(),
            "documents": case_documents(self.case),
            "change_documents": DOCUMENTS,
        }

    def post(self, request, *args, **kwargs):
        target = request.POST.get("goto")
        if target:
            if target != DOCUMENTS:
                self.errors.append("این گام قابل تغییر نیست.")
                return self.render_step(status=400)
            return self.complete(BACK)
        return super().post(request, *args, **kwargs)

    def on_forward(self):
        register_inquiry(self.case, self.request.user)
