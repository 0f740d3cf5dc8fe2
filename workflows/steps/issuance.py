"""صدور گواهی با امکان چاپ: the citizen asks for the certificate; the flow issues it."""

from ..wizard import StepView


class IssuanceView(StepView):
    template_name = "wizard/issuance.html"
    can_go_back = False
