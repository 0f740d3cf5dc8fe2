from django.conf import settings
from django.db import models


class Citizen(models.Model):
    """What the city's identity service knows of a person beyond the auth user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    national_id = models.CharField(max_length=20, blank=True)
