"""The certificate PDF and its PNG preview, for the case's citizen and for staff who
may view cases."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from cases.models import Case

from .models import Certificate
from .preview import PreviewUnavailable, certificate_png
from .services import certificate_pdf


def can_view_certificate(user, case: Case) -> bool:
    return case.citizen_id == user.pk or user.has_perm("cases.view_case")


def _viewable_case(request: HttpRequest, case_id: int) -> Case:
    case = get_object_or_404(Case, pk=case_id)
    # 404 rather than 403: whether a case exists is nobody else's business.
    if not can_view_certificate(request.user, case):
        raise Http404
    return case


def _private_file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@login_required
@xframe_options_sameorigin  # the issuance page may show it in a frame of our own
def certificate_pdf_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _viewable_case(request, case_id)
    try:
        pdf = certificate_pdf(case)
    except Certificate.DoesNotExist:
        raise Http404 from None
    return _private_file(pdf, "application/pdf", f"certificate-{case.tracking_number}.pdf")


@require_safe
@login_required
def certificate_png_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _viewable_case(request, case_id)
    try:
        png = certificate_png(case)
    except Certificate.DoesNotExist:
        raise Http404 from None
    except PreviewUnavailable:
        return HttpResponse("تصویر گواهی اکنون در دسترس نیست؛ کمی بعد دوباره بکوشید.",
                            status=503, content_type="text/plain; charset=utf-8")
    return _private_file(png, "image/png", f"certificate-{case.tracking_number}.png")
