"""Filters and actions of the staff pages; Persian messages, nothing lost on a mistake."""

from django import forms
from django.core.signals import setting_changed
from django.dispatch import receiver
from viewflow.workflow.flow import View

from cases.jalali import JalaliDateField
from cases.models import CaseStatus
from cases.persian import to_persian_digits
from cases.select_widget import KeptChoices, KeptOptionsSelect
from workflows import flow_versions
from workflows.case_migration.plan import MappingError, Request

from .cancellation import CANCEL_REASONS
from .choices import assignee_choices, district_choices
from .flows import flow_titles, node_choices

# The loaded flows and their steps change only with a deploy: read once per process.
_FLOW_CHOICES = KeptChoices(lambda: [("", "همه"), *flow_titles().items()])
_NODE_CHOICES = KeptChoices(lambda: [("", "همه"), *node_choices()])
_STATUS_CHOICES = KeptChoices(
    lambda: [("", "همه")] + [c for c in CaseStatus.choices if c[0] != "draft"])


@receiver(setting_changed)
def _reload(*, setting: str, **kwargs) -> None:
    """Other flow versions loaded (tests do): staff.flows forgets its tables, these too."""
    if setting in {"FLOW_VERSIONS", "INSTALLED_APPS"}:
        _FLOW_CHOICES.forget()
        _NODE_CHOICES.forget()


def district_field() -> forms.TypedChoiceField:
    """A district by number; its choices are set per form from the cache (DistrictChoices)."""
    return forms.TypedChoiceField(
        label="منطقه", required=False, coerce=int, empty_value=None, widget=KeptOptionsSelect,
        error_messages={"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]})


# The district list as the shared cache last gave it, normalized once per change.
_districts: tuple[tuple, KeptChoices] = ((), KeptChoices.of([("", "همه")]))


def _district_choices() -> KeptChoices:
    global _districts
    pairs = tuple(district_choices())
    if pairs != _districts[0]:
        _districts = (pairs, KeptChoices.of([("", "همه"), *pairs]))
    return _districts[1]


class DistrictChoices:
    """The district filter's choices from staff.choices, read when the form is made (in the
    view), not while its template renders."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = _district_choices()


class SearchForm(DistrictChoices, forms.Form):
    q = forms.CharField(label="شماره پیگیری، کدنوسازی، نام یا تلفن", required=False, max_length=100)
    flow = forms.ChoiceField(label="خدمت", required=False,
                             choices=_FLOW_CHOICES, widget=KeptOptionsSelect)
    node = forms.ChoiceField(label="گام", required=False, choices=_NODE_CHOICES,
                             widget=KeptOptionsSelect)
    status = forms.ChoiceField(label="وضعیت", required=False, choices=_STATUS_CHOICES,
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
                             choices=_FLOW_CHOICES, widget=KeptOptionsSelect)
    node = forms.ChoiceField(label="گام", required=False, choices=_NODE_CHOICES,
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


def people_steps(flow_class) -> list:
    """The steps a person does (viewflow View nodes): the only ones a case moves from or to,
    in the order the flow's class declares them (the order a case meets them)."""
    order = {name: i for i, name in enumerate(vars(flow_class))}
    return sorted((node for node in flow_class.instance.nodes() if isinstance(node, View)),
                  key=lambda node: order.get(node.name, len(order)))


class MigrationForm(forms.Form):
    """From which version to which, and for each people's step of the first where its
    cases go in the second (unchosen: the step of the same name, if the second has one).
    The step fields are the chosen versions': the page is sent again when they change."""

    from_version = forms.TypedChoiceField(label="از نسخه", coerce=int,
                                          error_messages={"required": "نسخه مبدأ را انتخاب کنید."})
    to_version = forms.TypedChoiceField(label="به نسخه", coerce=int,
                                        error_messages={"required": "نسخه مقصد را انتخاب کنید."})

    def __init__(self, flow_label: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.flow_label, self.request = flow_label, None
        loaded = flow_versions.versions(flow_label)
        choices = [(c.version, flow_versions.version_label(c)) for c in loaded]
        for name in ("from_version", "to_version"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = "این نسخه بارگذاری نشده است."
        source = self._chosen("from_version", loaded[0])
        target = self._chosen("to_version", loaded[-1])
        there = {node.name: node for node in people_steps(target)}
        for node in people_steps(source):
            same = there.get(node.name)
            default = f"همان گام «{same.task_title}»" if same else "بدون گام مقصد (منتقل نمی‌شود)"
            self.fields[f"step_{node.name}"] = forms.ChoiceField(
                label=node.task_title, required=False,
                choices=[("", default), *((n.name, n.task_title) for n in there.values())],
                error_messages={"invalid_choice": "این گام در نسخه مقصد نیست؛ دوباره انتخاب کنید."})

    def _chosen(self, name: str, default):
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        try:
            return flow_versions.flow(self.flow_label, int(value))
        except (TypeError, ValueError, flow_versions.VersionError):
            return default

    def step_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith("step_")]

    def clean(self):
        data = super().clean()
        if "from_version" not in data or "to_version" not in data:
            return data
        mapping = {name.removeprefix("step_"): value for name, value in data.items()
                   if name.startswith("step_") and value and value != name.removeprefix("step_")}
        try:
            self.request = Request.of(self.flow_label, data["from_version"], data["to_version"],
                                      mapping)
        except MappingError as error:
            raise forms.ValidationError(to_persian_digits(str(error))) from None
        return data
