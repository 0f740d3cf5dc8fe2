"""Storing, removing and checking a case's documents; who may see them."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from cases.models import Case, CaseEvent, CaseStatus, ServiceKind
from cases.persian import to_persian_digits
from cases.prepared import PreparedInstances

from .kinds import CITIZEN_KINDS, MIN_IMAGES, DocumentKind, kind_label, required_kinds
from .links import signed_url_maker
from .models import CaseDocument
from .validation import CleanFile, clean_upload

logger = logging.getLogger(__name__)

# MANUAL.md, inquiry step 4: the letter's image, "+" for more; no minimum of three.
INQUIRY_REQUIRED = [DocumentKind.INQUIRY_LETTER.value]
INQUIRY_MIN_DOCUMENTS = 1

NOT_DRAFT_MESSAGE = "مدارک درخواست ثبت‌شده قابل تغییر نیست."


def store_document(
    case: Case, kind: str, uploaded_file, user, *, allow_pdf: bool = False
) -> CaseDocument:
    """Validate (clean_upload) and store one file for the case's citizen.

    `uploaded_file` may also be a CleanFile already checked.
    Raises ValidationError (Persian) for a bad file or kind, or once the case is
    registered; PermissionDenied if `user` is not the case's citizen. Sending the same
    file as the same kind again (a double click, a resent form) returns the document
    already stored instead of a copy.
    """
    _check_may_change(case, user)
    return _write(case, [_prepare(case, kind, uploaded_file, user, allow_pdf)])[0]


def store_documents(
    case: Case, rows: Iterable[tuple[str, object]], user, *, allow_pdf: bool = False
) -> tuple[list[CaseDocument], list[str]]:
    """Store each valid (kind, file) row: one bad file does not lose the others. The
    valid ones are written together (one lock on the case, one look for duplicates, one
    INSERT), however many the form sent.

    Returns the stored documents and the Persian messages of the refused rows.
    """
    rows = list(rows)
    if not rows:
        return [], []
    try:
        _check_may_change(case, user)
    except ValidationError as error:
        return [], error.messages
    prepared, errors = [], []
    for kind, uploaded_file in rows:
        try:
            prepared.append(_prepare(case, kind, uploaded_file, user, allow_pdf))
        except ValidationError as error:
            errors.extend(error.messages)
    if not prepared:
        return [], errors
    try:
        return _write(case, prepared), errors
    except ValidationError as error:
        return [], errors + error.messages


def _prepare(case: Case, kind: str, uploaded_file, user, allow_pdf: bool) -> CaseDocument:
    """The checked file in storage and its row, not yet written."""
    if kind not in CITIZEN_KINDS:
        raise ValidationError("نوع مدرک را انتخاب کنید.", code="kind")
    clean = uploaded_file if isinstance(uploaded_file, CleanFile) else clean_upload(
        uploaded_file, allow_pdf=allow_pdf
    )
    document = CaseDocument(
        case=case,
        kind=kind,
        original_name=clean.original_name,
        content_type=clean.content_type,
        size=len(clean.content),
        sha256=clean.sha256,
        uploaded_by=user,
    )
    document.file.save(f"upload.{clean.extension}", ContentFile(clean.content), save=False)
    return document


def _write(case: Case, prepared: list[CaseDocument]) -> list[CaseDocument]:
    """The prepared rows written while the case is a draft; a file already stored as the
    same kind gives the stored document back (its new copy is deleted)."""
    try:
        # No savepoint: the one refusal callers catch (the case is no longer a draft) is
        # raised after the block, so it leaves their transaction usable.
        with transaction.atomic(savepoint=False):
            draft = _lock_draft(case)
            kept: dict[tuple[str, str], CaseDocument] = {}
            if draft:
                for earlier in case.documents.filter(sha256__in={d.sha256 for d in prepared}):
                    kept.setdefault((earlier.kind, earlier.sha256), earlier)
                new = []
                for document in prepared:
                    if (document.kind, document.sha256) not in kept:
                        kept[(document.kind, document.sha256)] = document
                        new.append(document)
                CaseDocument.objects.bulk_create(new)
    except BaseException:
        _delete_files(prepared)
        raise
    if not draft:
        _delete_files(prepared)
        raise ValidationError(NOT_DRAFT_MESSAGE, code="not_draft")
    forget_kinds(case)
    stored = [kept[(d.kind, d.sha256)] for d in prepared]
    _delete_files([d for d, s in zip(prepared, stored) if s is not d])
    for document in new:
        logger.info("document_stored", extra={"case": case.pk, "document": document.pk,
                                              "kind": document.kind, "sha256": document.sha256})
    return stored


def _delete_files(documents: list[CaseDocument]) -> None:
    for document in documents:
        document.file.storage.delete(document.file.name)


def remove_document(document: CaseDocument, user) -> None:
    """Delete a document (and its file, after commit) while the case is still a draft."""
    _check_may_change(document.case, user)
    with transaction.atomic():
        if not _lock_draft(document.case):
            raise ValidationError(NOT_DRAFT_MESSAGE, code="not_draft")
        document.delete()
    forget_kinds(document.case)
    logger.info("document_removed", extra={"case": document.case_id, "kind": document.kind})


KINDS_READ = "_document_kinds"


def document_kinds(case: Case) -> list[str]:
    """The kinds of the case's documents, read once per case object: a step asks for its
    page, its problems and the flow's check in one request. The writes above forget it."""
    if KINDS_READ not in case.__dict__:
        case.__dict__[KINDS_READ] = list(case.documents.values_list("kind", flat=True))
    return case.__dict__[KINDS_READ]


def remember_kinds(case: Case, documents: Iterable[CaseDocument]) -> None:
    """The kinds, from documents a page has just read in full."""
    case.__dict__[KINDS_READ] = [document.kind for document in documents]


def forget_kinds(case: Case) -> None:
    case.__dict__.pop(KINDS_READ, None)


def forget_kinds_of(sender, instance: CaseDocument, **kwargs) -> None:
    case = instance._state.fields_cache.get("case")
    if case is not None:
        forget_kinds(case)


def documents_complete(case: Case) -> tuple[bool, list[str]]:
    """(complete?, Persian labels of what is missing) for the case's applicant.

    Transfer: MIN_IMAGES documents and every kind required_kinds(case.applicant_role)
    names. Inquiry: the inquiry letter's image (and nothing else required).
    """
    if case.service == ServiceKind.INQUIRY:
        needed, minimum = INQUIRY_REQUIRED, INQUIRY_MIN_DOCUMENTS
    else:
        needed, minimum = required_kinds(case.applicant_role), MIN_IMAGES
    present = document_kinds(case)
    missing = [kind_label(kind) for kind in needed if kind not in present]
    if len(present) < minimum:
        missing.append(
            f"حداقل {to_persian_digits(minimum)} تصویر "
            f"(تاکنون {to_persian_digits(len(present))})"
        )
    return not missing, missing


def can_view(user, document: CaseDocument) -> bool:
    """The case's citizen, or staff with cases.view_case once the case is registered.

    Drafts are invisible to staff (DESIGN.md), their documents included.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    case = document.case
    if case.citizen_id == user.pk:
        return True
    return not case.is_draft and user.has_perm("cases.view_case")


def record_view(document: CaseDocument, user) -> None:
    """Staff looking at a citizen's document is audited on the case's timeline.

    The citizen's own views are not: they are not an event of the municipality's, and
    drafts (which staff cannot see) must stay free of events so they can be purged.
    """
    if user.pk != document.case.citizen_id:
        CaseEvent.objects.create(
            case=document.case,
            actor=user,
            name="document_viewed",
            data={"document": document.pk, "kind": document.kind},
        )


# The documents panel and the review steps read them on every visit: compiled once per
# process (cases/prepared.py; Django's ORM compiles the read again on each page, ~0.1 ms).
_CASE_DOCUMENTS = PreparedInstances(
    lambda case_id: CaseDocument.objects.filter(case_id=case_id), -7_000_071)


def case_documents(case: Case) -> list[CaseDocument]:
    """`case.documents.all()`: the case's documents in upload order, each knowing its case."""
    documents = _CASE_DOCUMENTS.objects(case.pk)
    for document in documents:
        document.case = case
    return documents


def document_links(documents: Iterable[CaseDocument], user) -> list[tuple[CaseDocument, str]]:
    """(document, signed URL) pairs, as documents/_upload_panel.html expects them."""
    signed_url = signed_url_maker()  # the address reversed once, not per document
    return [(document, signed_url(document, user)) for document in documents]


def document_manifest(case: Case) -> list[dict]:
    """What was submitted, for the timeline event written at registration."""
    return [
        {"id": d.pk, "kind": d.kind, "sha256": d.sha256, "size": d.size}
        for d in case.documents.order_by("uploaded_at", "id")
    ]


def store_inspection_photo(case: Case, uploaded_file, inspector) -> CaseDocument:
    """A photo the inspector takes at the visit of a registered case, on its timeline."""
    if not inspector.has_perm("cases.inspect_case"):
        raise PermissionDenied("Only inspectors add visit photos.")
    if case.status != CaseStatus.REGISTERED:
        raise ValidationError("عکس بازدید فقط پیش از ثبت نتیجه بازدید افزوده می‌شود.", code="state")
    clean = clean_upload(uploaded_file)
    document = CaseDocument(
        case=case, kind=DocumentKind.INSPECTION_PHOTO, original_name=clean.original_name,
        content_type=clean.content_type, size=len(clean.content), sha256=clean.sha256,
        uploaded_by=inspector,
    )
    document.file.save(f"upload.{clean.extension}", ContentFile(clean.content), save=False)
    try:
        document.save()
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    CaseEvent.objects.create(case=case, actor=inspector, name="inspection_photo_added",
                             data={"document_id": document.pk, "sha256": clean.sha256})
    return document


def _check_may_change(case: Case, user) -> None:
    if case.citizen_id != user.pk:
        raise PermissionDenied("Only the case's citizen changes its documents.")
    if not case.is_draft:
        raise ValidationError(NOT_DRAFT_MESSAGE, code="not_draft")


def _lock_draft(case: Case) -> bool:
    """Is the case still a draft? Its row locked: registration updates this row, so the
    lock orders the two and no document is added to or taken from a case that has just
    been registered."""
    return Case.objects.select_for_update().filter(pk=case.pk, status=CaseStatus.DRAFT).exists()
