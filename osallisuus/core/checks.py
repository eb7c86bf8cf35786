"""Deployment checks of our own, run by `manage.py check --deploy`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def secret_key_from_environment(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if getattr(settings, "SECRET_KEY_FROM_ENVIRONMENT", True):
        return []
    return [
        checks.Error(
            "SECRET_KEY is not set in the environment; a throwaway key is in use.",
            hint="Set SECRET_KEY to a long random value shared by every app process.",
            id="osallisuus.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def site_url_set(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    url = str(getattr(settings, "SITE_URL", ""))
    if url.startswith("https://"):
        return []
    return [
        checks.Error(
            "SITE_URL is not an https:// address; links in e-mails would not work.",
            hint="Set SITE_URL to the public address of the service, e.g. https://osallisuus.example.fi.",
            id="osallisuus.E002",
        )
    ]
