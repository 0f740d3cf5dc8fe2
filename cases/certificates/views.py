"""The certificate PDF, for the case's citizen and for staff who may view cases."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from cases.models import Case

from .models import Certificate
from .services import certificate_pdf


def can_view_certificate(user, case: Case) -> bool:
    return case.citizen_id == user.pk or user.has_perm("cases.view_case")


@require_safe
@login_required
@xframe_options_sameorigin  # the issuance page may show it in a frame of our own
def certificate_pdf_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case, pk=case_id)
    # 404 rather than 403: whether a case exists is nobody else's business.
    if not can_view_certificate(request.user, case):
        raise Http404
    try:
        pdf = certificate_pdf(case)
    except Certificate.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{case.tracking_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
