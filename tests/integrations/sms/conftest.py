import pytest

from integrations.backends import load as _backend

from . import fake_twilio


@pytest.fixture
def twilio(settings):
    """The Twilio backend, talking to a stand-in of Twilio's API on 127.0.0.1."""
    fake, server = fake_twilio.start()
    settings.SMS_BACKEND = "integrations.sms.backends.twilio.TwilioBackend"
    settings.TWILIO_ACCOUNT_SID = fake_twilio.ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = fake_twilio.AUTH_TOKEN
    settings.TWILIO_FROM = "+15005550006"
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_API_BASE_URL = fake.url
    settings.SITE_URL = "https://eservices.example.ir"
    settings.SMS_RETRY_BASE_SECONDS = 0.01
    _backend.cache_clear()
    yield fake
    _backend.cache_clear()
    server.shutdown()
    server.server_close()
