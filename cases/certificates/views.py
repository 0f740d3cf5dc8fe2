"""The certificate PDF and its PNG preview, for the case's citizen and for staff who
may view cases.

/certificates/case/<id>/pdf/ (and png/) is the address pages link to. Without a token
it checks who asks and redirects to the same address signed for that user (links.py);
only a genuine, unexpired token of the user asking gets the file: streamed by this
process from the filesystem, or a redirect to a presigned URL of the store on S3.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from cases.models import Case
from integrations.storage.links import temporary_url

from .links import TOKEN_PARAMETER, FileKind, read_token, signed_url
from .models import Certificate
from .preview import PreviewUnavailable, ensure_preview
from .services import stored_pdf

CONTENT_TYPES: dict[str, str] = {"pdf": "application/pdf", "png": "image/png"}
# Where the page embeds the file (<img>, <object>) the Content-Security-Policy allows
# only our own origin, so a redirect to the store would be blocked: stream those.
EMBEDDED_DESTINATIONS = frozenset({"image", "object", "embed", "iframe", "frame"})
PREVIEW_UNAVAILABLE = "تصویر گواهی اکنون در دسترس نیست؛ کمی بعد دوباره بکوشید."


def can_view_certificate(user, case: Case) -> bool:
    return case.citizen_id == user.pk or user.has_perm("cases.view_case")


def _viewable_case(request: HttpRequest, case_id: int) -> Case:
    case = get_object_or_404(Case, pk=case_id)
    # 404 rather than 403: whether a case exists is nobody else's business.
    if not can_view_certificate(request.user, case):
        raise Http404
    return case


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    # The token (and on S3 the signature) is in the URL: keep it out of Referer headers.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _certificate_file(request: HttpRequest, case_id: int, kind: FileKind) -> HttpResponse:
    token = request.GET.get(TOKEN_PARAMETER)
    # Every refusal is the same 404: a stranger learns nothing, not even that it exists.
    if token is not None and read_token(token) != (case_id, request.user.pk, kind):
        raise Http404
    # Checked with a token too: permissions may have changed since it was signed.
    case = _viewable_case(request, case_id)
    certificate = Certificate.objects.filter(case=case).first()
    if certificate is None:
        raise Http404
    if token is None:
        return _no_store(HttpResponseRedirect(signed_url(case_id, request.user, kind)))
    try:
        return _no_store(_serve(request, case, certificate, kind))
    except PreviewUnavailable:
        return HttpResponse(PREVIEW_UNAVAILABLE, status=503,
                            content_type="text/plain; charset=utf-8")


def _serve(request: HttpRequest, case: Case, certificate: Certificate,
           kind: FileKind) -> HttpResponse:
    stored = certificate.pdf if kind == "pdf" else ensure_preview(certificate).preview
    filename = f"certificate-{case.tracking_number}.{kind}"
    direct = None
    embedded = request.headers.get("Sec-Fetch-Dest", "") in EMBEDDED_DESTINATIONS
    if settings.PRIVATE_STORAGE_DIRECT_LINKS and not embedded:
        direct = temporary_url(stored.storage, stored.name, filename=filename,
                               content_type=CONTENT_TYPES[kind])
    if direct is not None:
        return HttpResponseRedirect(direct)
    if kind == "pdf":
        content = stored_pdf(certificate)  # checked against the hash taken when issued
    else:
        with stored.open("rb") as file:
            content = file.read()
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@login_required
@xframe_options_sameorigin  # the case's page shows it in an <object> of our own
def certificate_pdf_view(request: HttpRequest, case_id: int) -> HttpResponse:
    return _certificate_file(request, case_id, "pdf")


@require_safe
@login_required
def certificate_png_view(request: HttpRequest, case_id: int) -> HttpResponse:
    return _certificate_file(request, case_id, "png")
