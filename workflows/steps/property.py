"""Property selection: renovation code + request (or certificate) number, checked
against the registry (جستجو / استعلام)."""

from django import forms
from django.utils.html import format_html

from cases import portal_settings
from cases.drafts import choose_property
from cases.pairing_messages import pairing_message
from cases.renovation import RenovationCodeField

from ..wizard import Problem, StepView


class PropertyForm(forms.Form):
    renovation_code = RenovationCodeField(
        label="کدنوسازی",
        # Isolated left-to-right, or the page's RTL order reverses the groups.
        help_text=format_html('مانند <bdi dir="ltr">{}</bdi>', "۱۲-۳۴۵-۶۷-۸-۰-۰-۱۲"),
    )
    number = forms.CharField(label="شماره درخواست یا گواهی", max_length=40)

    def __init__(self, *args, number_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].label = number_label


def normalise_number(raw: str) -> str:
    from django.core.exceptions import ValidationError

    from cases.persian import clean_number_input
    from cases.renovation import RequestNumber

    try:
        return str(RequestNumber.parse(raw))
    except ValidationError:
        return clean_number_input(raw)


class PropertySelectionView(StepView):
    template_name = "wizard/property.html"
    can_go_back = False  # the commitments before this step are not a form to edit
    number_label = "شماره درخواست یا گواهی"
    search_label = "جستجو"
    valid_message = "شماره درخواست یا گواهی با کدنوسازی مطابقت دارد."

    def get_context(self):
        initial = {"renovation_code": self.case.property.renovation_code if self.case.property else "",
                   "number": self.case.request_number}
        form = getattr(self, "form", None) or PropertyForm(initial=initial, number_label=self.number_label)
        return {
            "form": form,
            "search_label": self.search_label,
            "support_phone": portal_settings.for_pages().support_phone,
        }

    def problems(self):
        if self.case.property_id is None:
            message = (f"ابتدا کدنوسازی و {self.number_label} را وارد کنید"
                       f" و «{self.search_label}» را بزنید.")
            return [Problem(message, "id_renovation_code")]
        return []

    def action_search(self):
        self.form = PropertyForm(self.request.POST, number_label=self.number_label)
        if not self.form.is_valid():
            self.errors = ["اطلاعات واردشده کامل یا درست نیست."]
            return None
        code = self.form.cleaned_data["renovation_code"]
        number = normalise_number(self.form.cleaned_data["number"])
        check = choose_property(self.case, code, number)
        if not check.ok:
            self.errors = [pairing_message(check.problem, self.number_label)]
            return None
        self.notices = [self.valid_message]
        return None
