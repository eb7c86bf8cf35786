"""Shared by the data-subject commands: find the person by e-mail."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from osallisuus.privacy.register import user_model


def subject_by_email(email: str) -> Any:
    found = user_model()._base_manager.filter(email__iexact=email.strip()).first()
    if found is None:
        raise CommandError(f"No account with the e-mail {email!r}.")
    return found
