"""``manage.py check`` reports a provider whose settings cannot work (a missing issuer...)."""

from __future__ import annotations

from typing import Any

from django.core import checks

from .providers import configuration_errors


def providers_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(error, hint="See docs/identity.md for the settings.", id="identity.E001")
        for error in configuration_errors()
    ]


def register() -> None:
    checks.register(providers_configured, "identity")
