"""Serving a document through its signed link: the only way any document is read."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from integrations.storage.links import temporary_url

from .links import read_token
from .models import CaseDocument
from .services import can_view, record_view
from .thumbnails import CONTENT_TYPE as THUMBNAIL_TYPE
from .thumbnails import thumbnail_bytes


@require_safe
@login_required
def serve(request: HttpRequest, token: str) -> HttpResponse:
    document = _readable_document(request, token)
    # On S3 the store itself serves the bytes, through a URL signed just now for a
    # minute; on the filesystem this process streams them.
    direct = None
    if settings.PRIVATE_STORAGE_DIRECT_LINKS:  # off when browsers cannot reach the store
        direct = temporary_url(document.file.storage, document.file.name,
                               filename=document.original_name,
                               content_type=document.content_type)
    if direct is not None:
        record_view(document, request.user)
        response = HttpResponseRedirect(direct)
    else:
        try:
            stored = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        record_view(document, request.user)
        # as_attachment=False: "Content-Disposition: inline; filename=…" (shown, not saved).
        response = FileResponse(
            stored, content_type=document.content_type, filename=document.original_name
        )
        response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # The token (and on S3 the signature) is in the URL: keep it out of Referer headers.
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
@login_required
def thumbnail(request: HttpRequest, token: str) -> HttpResponse:
    """The document's thumbnail, on the document's own token and checks.

    Not a document_viewed event: a page loads every thumbnail by itself, so an event each
    would bury the timeline under one row per picture per page load; opening the full
    file, which a person chooses to do, is what the timeline records. Streamed by this
    process even on S3: the pages' Content-Security-Policy lets <img> load from our own
    origin only, and some 20 KB cost less than a redirect's round trip on a slow line.
    """
    document = _readable_document(request, token)
    try:
        content = thumbnail_bytes(document)
    except FileNotFoundError:
        content = None
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type=THUMBNAIL_TYPE)
    # The link is good that long and its picture never changes: the viewer's own browser
    # may keep it meanwhile (coming back to the page costs no download); no shared cache
    # may. The file itself stays no-store.
    response["Cache-Control"] = f"private, max-age={settings.SIGNED_LINK_MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _readable_document(request: HttpRequest, token: str) -> CaseDocument:
    """The token's document, when the token is genuine and unexpired, was signed for the
    user asking, and can_view still lets them (permissions may have changed since).

    Every refusal is the same 404: a stranger learns nothing, not even that it exists.
    """
    signed = read_token(token)
    if signed is None or signed[1] != request.user.pk:
        raise Http404
    document = CaseDocument.objects.select_related("case").filter(pk=signed[0]).first()
    if document is None or not can_view(request.user, document):
        raise Http404
    return document
