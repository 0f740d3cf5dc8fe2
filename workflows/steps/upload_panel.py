"""What a wizard step needs to show and handle jinja2/documents/_upload_panel.html.

A step view (inside its own multipart form) does, on POST:

    outcome = handle_panel_post(request, case, prefix="docs-")
    if outcome.handled or outcome.errors:  # the panel's buttons, or a refused file:
                                           # show the step again
        context |= upload_panel_context(case, request.user, slots=outcome.slots,
                                        errors=outcome.errors, prefix="docs-")

and on GET just ``upload_panel_context(case, request.user, prefix="docs-")``. Files
chosen before pressing "+" or the step's own buttons are stored too, so the browser
forgetting the chosen files on re-render loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

from cases.documents.kinds import DocumentKind, required_kinds
from cases.documents.models import CaseDocument
from cases.documents.services import (
    INQUIRY_REQUIRED,
    case_documents,
    document_links,
    documents_complete,
    remember_kinds,
    remove_document,
    store_documents,
)
from cases.documents.validation import size_label
from cases.models import Case, ServiceKind

IMAGE_ACCEPT = "image/jpeg,image/png"
PDF_ACCEPT = IMAGE_ACCEPT + ",application/pdf"
# Rows the "+" button can add: enough for every kind and then some, and a cap on how
# many files one request may carry.
MAX_UPLOAD_SLOTS = 10
PANEL_ACTIONS = ("upload", "add_slot")
TRANSFER_KINDS = [
    (value, label) for value, label in DocumentKind.choices
    if value not in (DocumentKind.INQUIRY_LETTER, DocumentKind.INSPECTION_PHOTO)
]
INQUIRY_KINDS = [
    (value, label) for value, label in DocumentKind.choices
    if value in (DocumentKind.INQUIRY_LETTER, DocumentKind.OTHER)
]


@dataclass
class PanelOutcome:
    handled: bool  # the POST was the panel's own (upload, +, remove), not the step's
    slots: int = 1
    stored: list[CaseDocument] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def handle_panel_post(
    request: HttpRequest, case: Case, *, prefix: str = "", allow_pdf: bool = False
) -> PanelOutcome:
    """Store chosen files, remove a document, or add a row, as the POST asks."""
    slots = posted_slot_count(request, prefix)
    rows = parse_upload_rows(request, slots, prefix)
    stored, errors = store_documents(case, rows, request.user, allow_pdf=allow_pdf)
    action = request.POST.get("action", "")
    remove_pk = request.POST.get(f"{prefix}remove_document", "")
    if remove_pk.isdigit():
        document = case.documents.filter(pk=int(remove_pk)).first()
        if document is not None:
            try:
                remove_document(document, request.user)
            except ValidationError as error:
                errors.extend(error.messages)
    if action == "add_slot":
        slots = min(slots + 1, MAX_UPLOAD_SLOTS)
    elif not errors:
        slots = 1  # stored: start again with one empty row
    handled = action in PANEL_ACTIONS or bool(remove_pk)
    return PanelOutcome(handled=handled, slots=slots, stored=stored, errors=errors)


def upload_panel_context(
    case: Case,
    user,
    *,
    slots: int = 1,
    prefix: str = "",
    errors: list[str] | None = None,
    allow_pdf: bool = False,
) -> dict:
    """The context _upload_panel.html reads (see the comment at its top)."""
    inquiry = case.service == ServiceKind.INQUIRY
    needed = INQUIRY_REQUIRED if inquiry else required_kinds(case.applicant_role)
    documents = case_documents(case)
    remember_kinds(case, documents)
    present = {d.kind for d in documents}
    # Pre-select, row by row, the kinds still missing: the common case needs no choosing.
    suggestions = [kind for kind in needed if kind not in present]
    rows = [
        {"index": i, "kind": suggestions[i] if i < len(suggestions) else ""}
        for i in range(max(1, min(slots, MAX_UPLOAD_SLOTS)))
    ]
    complete, missing = documents_complete(case)
    return {
        "documents": document_links(documents, user),
        "kinds": INQUIRY_KINDS if inquiry else TRANSFER_KINDS,
        "form_prefix": prefix,
        "rows": rows,
        "slots": len(rows),
        "can_add_slot": len(rows) < MAX_UPLOAD_SLOTS,
        "can_change": case.is_draft,
        "accept": PDF_ACCEPT if allow_pdf else IMAGE_ACCEPT,
        "max_size": size_label(settings.UPLOAD_MAX_BYTES),
        "allow_pdf": allow_pdf,
        "errors": errors or [],
        "documents_complete": complete,
        "missing": missing,
    }


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
