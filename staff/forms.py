"""Filters and actions of the staff pages; Persian messages, nothing lost on a mistake."""

from django import forms

from cases.jalali import JalaliDateField
from cases.models import CaseStatus
from cases.select_widget import KeptOptionsSelect

from .cancellation import CANCEL_REASONS
from .choices import assignee_choices, district_choices
from .flows import flow_titles, node_choices


def _flow_choices() -> list[tuple[str, str]]:
    return [("", "همه"), *flow_titles().items()]


def _node_choices() -> list[tuple[str, str]]:
    return [("", "همه"), *node_choices()]


def district_field() -> forms.TypedChoiceField:
    """A district by number; its choices are set per form from the cache (DistrictChoices)."""
    return forms.TypedChoiceField(
        label="منطقه", required=False, coerce=int, empty_value=None, widget=KeptOptionsSelect,
        error_messages={"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]})


class DistrictChoices:
    """The district filter's choices from staff.choices, read when the form is made (in the
    view), not while its template renders."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", "همه"), *district_choices()]


class SearchForm(DistrictChoices, forms.Form):
    q = forms.CharField(label="شماره پیگیری، کدنوسازی، نام یا تلفن", required=False, max_length=100)
    flow = forms.ChoiceField(label="خدمت", required=False,
                             choices=_flow_choices, widget=KeptOptionsSelect)
    node = forms.ChoiceField(label="گام", required=False, choices=_node_choices,
                             widget=KeptOptionsSelect)
    status = forms.ChoiceField(label="وضعیت", required=False,
                               choices=[("", "همه")] + [c for c in CaseStatus.choices if c[0] != "draft"],
                               widget=KeptOptionsSelect)
    date_from = JalaliDateField(label="ثبت از تاریخ", required=False)
    date_to = JalaliDateField(label="تا تاریخ", required=False)
    district = district_field()

    def filters(self) -> dict:
        data = self.cleaned_data
        return {"q": data.get("q", ""), "flow": data.get("flow", ""), "node": data.get("node", ""),
                "status": data.get("status", ""), "date_from": data.get("date_from") or None,
                "date_to": data.get("date_to") or None,
                "district": data.get("district")}


class TaskFilterForm(DistrictChoices, forms.Form):
    flow = forms.ChoiceField(label="خدمت", required=False,
                             choices=_flow_choices, widget=KeptOptionsSelect)
    node = forms.ChoiceField(label="گام", required=False, choices=_node_choices,
                             widget=KeptOptionsSelect)
    district = district_field()


class ReassignForm(forms.Form):
    to_user = forms.ModelChoiceField(label="ارجاع به", queryset=None, widget=KeptOptionsSelect,
                                     error_messages={"required": "کارشناس را انتخاب کنید.",
                                                     "invalid_choice": "این کارشناس در فهرست نیست."})
    reason = forms.CharField(label="دلیل ارجاع", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "دلیل ارجاع را بنویسید."})

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = staff
        # Shown from the cache; a choice sent back is still checked against `staff`.
        self.fields["to_user"].choices = [("", "---------"), *assignee_choices()]


class CancelForm(forms.Form):
    reason_code = forms.ChoiceField(label="دلیل ابطال", choices=CANCEL_REASONS, widget=forms.RadioSelect,
                                    error_messages={"required": "دلیل ابطال را انتخاب کنید."})
    details = forms.CharField(label="توضیح برای شهروند", required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("reason_code") == "other" and not (data.get("details") or "").strip():
            self.add_error("details", "برای «سایر» توضیح بنویسید؛ شهروند آن را می‌خواند.")
        return data


class PeriodForm(forms.Form):
    date_from = JalaliDateField(label="از تاریخ", required=False)
    date_to = JalaliDateField(label="تا تاریخ", required=False)
