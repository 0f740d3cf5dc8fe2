from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web's plumbing: middleware, context processors, security headers, the
    language, static storage. Nothing of the domain lives here."""

    name = "web"
    verbose_name = "وب"
