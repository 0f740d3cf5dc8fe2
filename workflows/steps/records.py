"""بررسی سوابق: the latest certificate the municipality issued for the code."""

from cases import portal_settings
from cases.step_requirements import earlier_certificate_found, latest_certificate

from ..wizard import StepView


class RecordsReviewView(StepView):
    template_name = "wizard/records.html"

    def get_context(self):
        return {"certificate": latest_certificate(self.case),
                "support_phone": portal_settings.for_pages().support_phone}

    def problems(self):
        # The flow's own requirement for leaving this step, said on the page.
        return earlier_certificate_found(self.case)
