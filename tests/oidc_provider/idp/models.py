"""What the test provider knows beyond django-oauth-toolkit: how a person last logged in (the
method gives the ``acr``/``amr`` of the ID token), their provider session, the relying parties'
back-channel logout addresses, and deliberate misbehaviour for the tests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from oauth2_provider.models import Application


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idp_profile")
    method = models.CharField(max_length=20, default="pwd")
    sid = models.CharField(max_length=64, blank=True)
    national_id_number = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.method})"


class RelyingParty(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="relying_party")
    backchannel_logout_uri = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return str(self.application)


class Quirk(models.Model):
    """A deliberate misbehaviour (a wrong audience, an expired token...) until cleared."""

    name = models.CharField(max_length=50, unique=True)
    value = models.JSONField(default=None, null=True)

    def __str__(self) -> str:
        return self.name
