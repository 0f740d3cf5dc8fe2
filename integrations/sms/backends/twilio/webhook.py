"""Twilio's delivery receipts: signed by Twilio, applied as guarded transitions."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from ... import receipts

# Twilio's MessageStatus → our transition; the rest (accepted, queued, sending) say
# nothing we do not know.
TRANSITIONS = {
    "sent": "receipt_sent",
    "delivered": "mark_delivered",
    "read": "mark_delivered",
    "undelivered": "mark_undelivered",
    "failed": "mark_failed",
}


@csrf_exempt  # Twilio has no CSRF token; its signature is the proof instead
@require_POST
def status_callback(request: HttpRequest, message_id: int) -> HttpResponse:
    # The URL Twilio signed is the public one we gave it (SITE_URL), whatever proxy
    # headers this request arrived with.
    url = settings.SITE_URL.rstrip("/") + request.get_full_path()
    signature = request.headers.get("X-Twilio-Signature", "")
    token = settings.TWILIO_AUTH_TOKEN
    if not token or not signature or not RequestValidator(token).validate(
        url, request.POST, signature
    ):
        return HttpResponseForbidden("invalid signature")
    status = request.POST.get("MessageStatus", "")
    error = request.POST.get("ErrorCode", "")
    receipts.apply(
        message_id,
        provider_id=request.POST.get("MessageSid", ""),
        provider_status=status,
        transition=TRANSITIONS.get(status),
        error=f"twilio {error}" if error else "",
    )
    # 2xx whatever we made of it: Twilio has nothing better to do with a refusal.
    return HttpResponse(status=204)
