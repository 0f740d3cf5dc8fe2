"""بررسی سوابق: the latest certificate the municipality issued for the code."""

from cases import portal_settings
from cases.step_requirements import earlier_certificate_found
from integrations.registry.loader import get_registry

from ..wizard import StepView


class RecordsReviewView(StepView):
    template_name = "wizard/records.html"

    def latest(self):
        return get_registry().latest_certificate(self.case.property.renovation_code)

    def get_context(self):
        return {"certificate": self.latest(),
                "support_phone": portal_settings.for_pages().support_phone}

    def problems(self):
        # The flow's own requirement for leaving this step, said on the page.
        return earlier_certificate_found(self.case)
