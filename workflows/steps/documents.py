"""Documents: who applies, the letter's details, and at least three images."""

from django import forms

from cases.documents.services import documents_complete
from cases.drafts import APPLICANT_ROLE, LETTER_FIELDS, keep_letter
from cases.jalali import JalaliDateField
from cases.models import ApplicantRole
from cases.persian import to_persian_digits

from ..wizard import Problem, StepView
from .upload_panel import handle_panel_post, upload_panel_context

ANSWERS = (APPLICANT_ROLE, *LETTER_FIELDS)  # the form's fields, as the case keeps them
FIRST_FILE = "id_file_0"  # the panel's first file input: where a missing file is chosen
LETTER_INVALID = "مشخصات نامه کامل یا درست نیست."
LETTER_INCOMPLETE = "مشخصات نامه را کامل کنید و «تأیید و ارسال» را بزنید."
ROLE_MISSING = "مالک یا وکیل بودن خود را انتخاب کنید."


class LetterForm(forms.Form):
    applicant_role = forms.ChoiceField(
        label="متقاضی", choices=ApplicantRole.choices, widget=forms.RadioSelect,
        error_messages={"required": ROLE_MISSING},
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
        initial = {name: getattr(self.case, name) for name in ANSWERS}
        return LetterForm(data, initial=initial, with_role=self.with_role, labels=self.field_labels)

    def get_context(self):
        panel = upload_panel_context(self.case, self.request.user, slots=self.slots)
        panel.pop("errors")  # shown once, with the step's own messages
        return {**panel, "form": self.form or self.letter_form()}

    def problems(self):
        problems = []
        empty = [name for name in LETTER_FIELDS if not getattr(self.case, name)]
        if empty:
            problems.append(Problem(LETTER_INCOMPLETE, f"id_{empty[0]}"))
        if self.with_role and not self.case.applicant_role:
            problems.append(Problem(ROLE_MISSING, "id_applicant_role_0"))
        complete, missing = documents_complete(self.case)
        if not complete:
            problems.append(Problem(
                self.incomplete_message + (f"، از جمله: {'، '.join(missing)}." if missing else "."),
                FIRST_FILE,
            ))
        return problems

    def save_input(self) -> None:
        """Keep the letter's details and any chosen files, whichever button was pressed.
        The answers that are valid are kept even when another one is not, so a chosen
        role is not reported missing because the date was mistyped."""
        self.form = self.letter_form(self.request.POST)
        valid = self.form.is_valid()
        keep_letter(self.case, **{name: value for name, value in self.form.cleaned_data.items()
                                  if name not in self.form.errors})
        if not valid:  # said by the form's field errors (render_step); it makes this a 400
            self.errors.append(LETTER_INVALID)
        outcome = handle_panel_post(self.request, self.case)
        self.slots = outcome.slots
        self.errors.extend(Problem(message, FIRST_FILE) for message in outcome.errors)
        if outcome.stored:
            self.notices.append(f"{to_persian_digits(len(outcome.stored))} فایل ذخیره شد.")

    def render_step(self, status: int = 200):
        """Each problem said once: the letter form's own field errors (each in the summary
        with a link to its field) stand for the general messages about the letter."""
        if self.form is not None and self.form.errors:
            said = {str(e) for errors in self.form.errors.values() for e in errors}
            self.errors = [e for e in self.errors
                           if e not in (LETTER_INVALID, LETTER_INCOMPLETE) and e not in said]
        return super().render_step(status)

    def action_upload(self):
        self.save_input()

    def action_add_slot(self):
        self.save_input()
        # A row added before the letter is filled in is not yet an error: what was typed
        # is shown again, without messages.
        self.errors = [e for e in self.errors if e != LETTER_INVALID]
        if self.form.errors:
            typed = {name: self.request.POST[name] for name in self.form.fields if name in self.request.POST}
            self.form = self.letter_form()
            self.form.initial.update(typed)

    def post(self, request, *args, **kwargs):
        if request.POST.get("remove_document"):
            self.save_input()
            return self.render_step(status=400 if self.errors else 200)
        return super().post(request, *args, **kwargs)
