from django.apps import AppConfig


class DevToolsConfig(AppConfig):
    """Development and measurement commands (generate_city, measure_staff_pages): installed
    with DEBUG on and in the benchmark's settings, never in production."""

    name = "bench.devtools"
    label = "devtools"
