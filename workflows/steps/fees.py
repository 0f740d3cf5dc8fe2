"""Renovation fees: pay an open debt online, or go on when the code owes nothing."""

from cases.payments.advance import settle_fees
from cases.payments.panel import debt_panel_context
from cases.payments.services import has_open_debt

from ..wizard import StepView


class FeesView(StepView):
    template_name = "wizard/fees.html"
    can_go_back = False

    def get_context(self):
        return debt_panel_context(self.case, self.request.get_full_path())

    def problems(self):
        if has_open_debt(self.case):
            return ["تا بدهی عوارض نوسازی پرداخت نشود، ادامه ممکن نیست؛ «پرداخت آنلاین» را بزنید."]
        return []

    def on_forward(self):
        # Settled already when a payment paid the debt; a code that owed nothing is here.
        settle_fees(self.case, by=self.request.user)
