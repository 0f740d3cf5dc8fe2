"""تسویه عوارض, then ثبت درخواست و صدور: an inquiry is registered once fees are settled."""

from cases.registration import register_inquiry

from .fees import FeesView


class InquiryFeesView(FeesView):
    template_name = "wizard/inquiry_fees.html"
    can_go_back = True

    def on_forward(self):
        register_inquiry(self.case, self.request.user)
