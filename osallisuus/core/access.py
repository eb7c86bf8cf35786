"""Gate selectors and the access log.

A gate returns the object or raises the same ``Http404`` whether the object is missing
or not the caller's to see, so nothing leaks that it exists. Every successful gate
writes one access-log row (actor, whose data, which object, action, purpose, time).
The row never contains the data itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.db import models
from django.http import Http404

from .models import AccessLogEntry

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

M = TypeVar("M", bound=models.Model)

Action = AccessLogEntry.Action


def _actor_organisation(actor: User | None) -> str:
    if actor is None:
        return ""
    names = sorted({m.organisation.name for m in actor.memberships.select_related("organisation").all()})
    return ", ".join(names)[:200]


def log_access(
    *,
    actor: User | None,
    subject_id: int,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    action: str = Action.VIEW,
    purpose: str,
    route: str = "",
) -> AccessLogEntry:
    """Write one access-log row. ``purpose`` is a short code or phrase, never the data."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if not purpose:
        raise ValueError("An access-log entry needs a purpose.")
    entry = AccessLogEntry(
        actor=actor,
        actor_label=(str(actor) if actor is not None else "")[:200],
        actor_organisation=_actor_organisation(actor),
        subject_id=subject_id,
        object_type=object_type,
        object_id=object_id,
        action=action,
        purpose=purpose,
        route=route[:200],
    )
    entry.save()
    return entry


def gate(
    queryset: models.QuerySet[M],
    *,
    pk: object,
    actor: User,
    purpose: str,
    subject_of: Callable[[M], int],
    action: str = Action.VIEW,
    route: str = "",
) -> M:
    """Return the object from the actor's *visible* queryset or raise ``Http404``.

    ``queryset`` must already be scoped to what the actor may see; the gate never
    looks outside it, so "missing" and "forbidden" are the same answer.
    """
    try:
        obj = queryset.get(pk=pk)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    except Exception as exc:  # malformed ids, e.g. a bad UUID
        from django.core.exceptions import ValidationError

        if isinstance(exc, ValidationError):
            raise Http404 from exc
        raise
    subject_id = subject_of(obj)
    if subject_id != actor.pk:
        log_access(actor=actor, subject_id=subject_id, obj=obj, action=action, purpose=purpose, route=route)
    return obj
