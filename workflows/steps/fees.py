"""Renovation fees: pay an open debt online, or go on when the code owes nothing."""

from cases.payments.advance import settle_fees
from cases.payments.panel import debt_panel_context
from cases.payments.services import open_debt_summary
from cases.properties import refresh_debts

from ..wizard import StepView


class FeesView(StepView):
    template_name = "wizard/fees.html"
    can_go_back = False

    def dispatch(self, request, *args, **kwargs):
        # The debts to pay are the ones the registry lists now; the page, its checks and
        # the payment all read the local copies this brings up to date.
        refresh_debts(self.case)
        return super().dispatch(request, *args, **kwargs)

    def open_debts(self) -> list:
        """The open debts, read once per request (the page and its checks both ask)."""
        if not hasattr(self, "_open_debts"):
            self._open_debts = open_debt_summary(self.case)
        return self._open_debts

    def get_context(self):
        return debt_panel_context(self.case, self.request.get_full_path(), self.open_debts())

    def problems(self):
        if self.open_debts():
            return ["تا بدهی عوارض نوسازی پرداخت نشود، ادامه ممکن نیست؛ «پرداخت آنلاین» را بزنید."]
        return []

    def on_forward(self):
        # Settled already when a payment paid the debt; a code that owed nothing is here.
        settle_fees(self.case, by=self.request.user)
