"""Text messages: the backend that sends them, the outbox's retries, Twilio and Kavenegar.

Environment: SMS_BACKEND, SMS_MAX_ATTEMPTS, SMS_RETRY_BASE_SECONDS, SMS_RETRY_MAX_SECONDS,
SMS_STUCK_AFTER_SECONDS, SMS_SENDING_TIMEOUT_SECONDS, SMS_SWEEP_BATCH,
SMS_PROVIDER_TIMEOUT_SECONDS, SMS_MAX_SEGMENTS, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN,
TWILIO_FROM, TWILIO_MESSAGING_SERVICE_SID, TWILIO_API_BASE_URL, KAVENEGAR_API_KEY,
KAVENEGAR_SENDER, KAVENEGAR_API_BASE_URL.
"""

from config.settings.base import env

# A dotted path (see integrations/sms/loader.py); the default keeps every message in
# the outbox and sends nothing.
SMS_BACKEND = env.str("SMS_BACKEND", default="integrations.sms.backends.outbox.OutboxOnlyBackend")
# The outbox: tries per message, backoff (base·2^n plus jitter, capped), and when the
# sweep takes a message for lost. SENDING_TIMEOUT must exceed the provider timeout.
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=6)
SMS_RETRY_BASE_SECONDS = env.float("SMS_RETRY_BASE_SECONDS", default=2.0)
SMS_RETRY_MAX_SECONDS = env.float("SMS_RETRY_MAX_SECONDS", default=600.0)
SMS_STUCK_AFTER_SECONDS = env.int("SMS_STUCK_AFTER_SECONDS", default=120)
SMS_SENDING_TIMEOUT_SECONDS = env.int("SMS_SENDING_TIMEOUT_SECONDS", default=300)
SMS_SWEEP_BATCH = env.int("SMS_SWEEP_BATCH", default=500)
SMS_PROVIDER_TIMEOUT_SECONDS = env.float("SMS_PROVIDER_TIMEOUT_SECONDS", default=15.0)
SMS_MAX_SEGMENTS = env.int("SMS_MAX_SEGMENTS", default=3)  # UCS-2: 67 characters a part
# Twilio (SMS_BACKEND=integrations.sms.backends.twilio.TwilioBackend): a sender number
# or a messaging service. TWILIO_API_BASE_URL only for a stand-in of Twilio's API.
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM = env.str("TWILIO_FROM", default="")
TWILIO_MESSAGING_SERVICE_SID = env.str("TWILIO_MESSAGING_SERVICE_SID", default="")
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="")
# Kavenegar (SMS_BACKEND=integrations.sms.backends.kavenegar.KavenegarBackend).
KAVENEGAR_API_KEY = env.str("KAVENEGAR_API_KEY", default="")
KAVENEGAR_SENDER = env.str("KAVENEGAR_SENDER", default="")
KAVENEGAR_API_BASE_URL = env.str("KAVENEGAR_API_BASE_URL", default="https://api.kavenegar.com")
