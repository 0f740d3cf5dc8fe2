"""The inspector's visit: the case's answers and documents, then the result."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views import View

from cases.appointments import services as appointments
from cases.documents.gallery import case_gallery
from cases.documents.services import store_inspection_photo
from cases.registration import record_inspection

APPROVED, CANCELLED = "approved", "cancelled"
# The usual reasons a visit fails; the inspector may add their own words.
VISIT_CANCEL_REASONS = [
    ("mismatch", "وضع موجود با نقشه مطابقت ندارد"),
    ("absent", "مالک یا نماینده در محل حاضر نبود"),
    ("access", "امکان ورود به ملک نبود"),
    ("unauthorised", "ساخت‌وساز یا تغییر کاربری غیرمجاز"),
]


class InspectionForm(forms.Form):
    result = forms.ChoiceField(
        label="نتیجه بازدید",
        choices=[(APPROVED, "تأیید"), (CANCELLED, "ابطال")],
        widget=forms.RadioSelect,
        error_messages={"required": "نتیجه بازدید را انتخاب کنید."},
    )
    reason_choice = forms.ChoiceField(label="دلیل ابطال از فهرست", required=False,
                                      choices=[("", "—")] + VISIT_CANCEL_REASONS)
    reason = forms.CharField(label="دلیل ابطال", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label="یادداشت کارشناس", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label="عکس بازدید (اختیاری)", required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))

    def clean(self):
        data = super().clean()
        label = dict(VISIT_CANCEL_REASONS).get(data.get("reason_choice", ""), "")
        text = data.get("reason", "").strip()
        if data.get("result") == CANCELLED and not (label or text):
            self.add_error("reason", "برای ابطال، دلیل را بنویسید؛ شهروند آن را می‌خواند.")
        # The citizen reads one sentence: the listed reason, then the inspector's words.
        data["reason"] = f"{label}: {text}" if label and text else (label or text)
        return data


class InspectionView(View):
    template_name = "staff/inspection.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.activation = request.activation
        self.case = self.activation.process.case

    def render_page(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "case": self.case,
                "form": form,
                "appointment": appointments.current(self.case),
                "documents": case_gallery(self.case.pk, self.request.user),
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(InspectionForm())

    def post(self, request, *args, **kwargs):
        form = InspectionForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form, status=400)
        if form.cleaned_data.get("photo"):
            try:
                store_inspection_photo(self.case, form.cleaned_data["photo"], request.user)
            except ValidationError as error:
                form.add_error("photo", error)
                return self.render_page(form, status=400)
        record_inspection(
            self.case,
            request.user,
            approved=form.cleaned_data["result"] == APPROVED,
            reason=form.cleaned_data["reason"],
            notes=form.cleaned_data["notes"],
        )
        self.activation.execute()
        return redirect("portal:inspector_inbox")
