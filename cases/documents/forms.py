"""Reading uploads from a request: a single-file form and the panel's numbered rows."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

from .kinds import DocumentKind
from .validation import CleanFile, clean_upload

IMAGE_ACCEPT = "image/jpeg,image/png"
PDF_ACCEPT = IMAGE_ACCEPT + ",application/pdf"
# Rows the "+" button can add: enough for every kind and then some, and a cap on how
# many files one request may carry.
MAX_UPLOAD_SLOTS = 10


class DocumentUploadForm(forms.Form):
    """One file and its kind. cleaned_data["file"] is a CleanFile (validated, re-encoded),
    ready for services.store_document."""

    kind = forms.ChoiceField(
        label="نوع مدرک",
        choices=DocumentKind.choices,
        error_messages={"required": "نوع مدرک را انتخاب کنید.",
                        "invalid_choice": "نوع مدرک را انتخاب کنید."},
    )
    file = forms.FileField(
        label="انتخاب فایل",
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
        error_messages={"required": "فایلی انتخاب نشده است.",
                        "empty": "فایل انتخاب‌شده خالی است.",
                        "invalid": "فایلی انتخاب نشده است."},
    )

    def __init__(self, *args, allow_pdf: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allow_pdf = allow_pdf
        if allow_pdf:
            self.fields["file"].widget.attrs["accept"] = PDF_ACCEPT

    def clean_file(self) -> CleanFile:
        return clean_upload(self.cleaned_data["file"], allow_pdf=self.allow_pdf)


def posted_slot_count(request: HttpRequest, prefix: str = "") -> int:
    """How many upload rows the page that was posted showed (its hidden "<prefix>slots")."""
    try:
        count = int(request.POST.get(f"{prefix}slots", "1"))
    except ValueError:
        count = 1
    return max(1, min(count, MAX_UPLOAD_SLOTS))


def parse_upload_rows(
    request: HttpRequest, slots: int, prefix: str = ""
) -> list[tuple[str, UploadedFile]]:
    """(kind, file) for each row kind_<i>/file_<i> (i < slots) where a file was chosen.

    The kind is returned as posted; services.store_document refuses an unknown one.
    """
    rows = []
    for index in range(max(0, min(slots, MAX_UPLOAD_SLOTS))):
        uploaded = request.FILES.get(f"{prefix}file_{index}")
        if uploaded is not None:
            rows.append((request.POST.get(f"{prefix}kind_{index}", ""), uploaded))
    return rows
