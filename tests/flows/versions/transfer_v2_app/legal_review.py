"""بررسی حقوقی: the step the example's second version adds before the fees, in which the
citizen confirms the legal facts of the transfer."""

from workflows.wizard import Problem, StepView

CONFIRMED = "id_confirmed"
NOT_CONFIRMED = "برای ادامه، درستی وضعیت حقوقی آپارتمان را تأیید کنید."


class LegalReviewView(StepView):
    template_name = "wizard/legal_review.html"
    can_go_back = False

    def save_input(self) -> None:
        if not self.request.POST.get("confirmed"):
            self.errors.append(Problem(NOT_CONFIRMED, CONFIRMED))
