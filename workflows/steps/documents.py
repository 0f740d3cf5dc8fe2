"""Documents: who applies, the letter's details, and at least three images."""

from django import forms

from cases.documents.panel import handle_panel_post, upload_panel_context
from cases.documents.services import documents_complete
from cases.jalali import JalaliDateField
from cases.models import ApplicantRole

from ..wizard import StepView

LETTER_FIELDS = ("applicant_role", "letter_number", "letter_institution", "letter_date")


class LetterForm(forms.Form):
    applicant_role = forms.ChoiceField(
        label="متقاضی", choices=ApplicantRole.choices, widget=forms.RadioSelect,
        error_messages={"required": "مالک یا وکیل بودن خود را انتخاب کنید."},
    )
    letter_number = forms.CharField(label="شماره", max_length=50)
    letter_institution = forms.CharField(label="نام نهاد استعلام کننده", max_length=200)
    letter_date = JalaliDateField(label="تاریخ نامه")

    def __init__(self, *args, with_role: bool = True, labels: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_role:
            del self.fields["applicant_role"]
        for name, label in (labels or {}).items():
            self.fields[name].label = label


class DocumentsView(StepView):
    template_name = "wizard/documents.html"
    with_role = True
    field_labels: dict = {}
    incomplete_message = "دست‌کم سه تصویر لازم است"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.slots = 1
        self.form = None

    def letter_form(self, data=None) -> LetterForm:
        initial = {name: getattr(self.case, name) for name in LETTER_FIELDS}
        return LetterForm(data, initial=initial, with_role=self.with_role, labels=self.field_labels)

    def get_context(self):
        panel = upload_panel_context(self.case, self.request.user, slots=self.slots)
        panel.pop("errors")  # shown once, with the step's own messages
        return {**panel, "form": self.form or self.letter_form()}

    def problems(self):
        problems = []
        if not all(getattr(self.case, name) for name in LETTER_FIELDS[1:]):
            problems.append("مشخصات نامه را کامل کنید و «تأیید و ارسال» را بزنید.")
        if self.with_role and not self.case.applicant_role:
            problems.append("مالک یا وکیل بودن خود را انتخاب کنید.")
        complete, missing = documents_complete(self.case)
        if not complete:
            problems.append(
                self.incomplete_message + (f"، از جمله: {'، '.join(missing)}." if missing else ".")
            )
        return problems

    def save_input(self) -> None:
        """Keep the letter's details and any chosen files, whichever button was pressed."""
        self.form = self.letter_form(self.request.POST)
        if self.form.is_valid():
            for name, value in self.form.cleaned_data.items():
                setattr(self.case, name, value)
            self.case.save()
        else:
            self.errors.append("مشخصات نامه کامل یا درست نیست.")
        outcome = handle_panel_post(self.request, self.case)
        self.slots = outcome.slots
        self.errors.extend(outcome.errors)
        if outcome.stored:
            self.notices.append(f"{len(outcome.stored)} فایل ذخیره شد.")

    def action_upload(self):
        self.save_input()

    def action_add_slot(self):
        self.save_input()
        # A row added before the letter is filled in is not yet an error.
        self.errors = [e for e in self.errors if e != "مشخصات نامه کامل یا درست نیست."]

    def post(self, request, *args, **kwargs):
        if request.POST.get("remove_document"):
            self.save_input()
            return self.render_step(status=400 if self.errors else 200)
        return super().post(request, *args, **kwargs)
