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
        # The actor's name is kept so an audit survives the actor's erasure, except when the
        # actor acts on their own data: then the subject id says who it was, and an erased
        # person's name is not left behind in their own append-only trail.
        actor_label=(str(actor) if actor is not None and (subject is None or actor.pk != subject.pk) else "")[:200],
        subject=subject,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data or {},
    )
    event.save()
    return event
