"""``manage.py check`` reports a provider whose settings cannot work (a missing issuer...)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .providers import providers


def providers_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        providers()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), hint="See docs/identity.md for the settings.", id="identity.E001")]
    return []


def register() -> None:
    checks.register(providers_configured, "identity")
