"""اقرارنامه مالک: before the certificate is issued, the citizen declares that they are
the owner or act for the owner and that what they gave is true."""

from workflows.wizard import Problem, StepView

DECLARED = "id_declared"  # the checkbox: where the error summary sends the citizen
NOT_DECLARED = "برای ادامه، متن اقرارنامه را بخوانید و آن را تأیید کنید."


class OwnerOathView(StepView):
    template_name = "wizard/owner_oath.html"
    # The flow goes straight on from here (no gateway routes back: the fees are paid).
    can_go_back = False

    def save_input(self) -> None:
        # The box is this step's only input; ticked, گام بعدی completes the task, and the
        # completed task (who, when) is the declaration.
        if not self.request.POST.get("declared"):
            self.errors.append(Problem(NOT_DECLARED, DECLARED))
