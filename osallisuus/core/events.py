"""Change events: explicit audit rows written by services when something that matters changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from .models import ChangeEvent

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


def record(
    *,
    actor: User | None,
    verb: str,
    target: models.Model,
    subject: User | None = None,
    data: dict[str, Any] | None = None,
) -> ChangeEvent:
    """Write one change event. ``data`` holds field names or codes, not personal data."""
    event = ChangeEvent(
        actor=actor,
        actor_label=(str(actor) if actor is not None else "")[:200],
        subject=subject,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data or {},
    )
    event.save()
    return event
