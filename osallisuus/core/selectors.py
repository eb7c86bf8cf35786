"""Reads for the core: the feedback administrators handle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet, Subquery
from django.http import Http404

from .access import log_listing
from .models import AccessLogEntry, Feedback

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


def feedback_list(*, actor: User, show: str = "open") -> QuerySet[Feedback]:
    """Feedback for an administrator: ``show`` is "open" (not yet handled) or "all".

    The caller checks ``actor.permissions.can_handle_feedback()`` first.
    """
    qs = Feedback.objects.select_related("sender")
    if show != "all":
        qs = qs.filter(handled=False)
    return qs.order_by("handled", "-created_at", "-pk")


def feedback_get_for_handling(*, actor: User, feedback_id: int) -> Feedback:
    """One piece of feedback, or the same 404 whether it is missing or the actor may not handle it."""
    if not actor.permissions.can_handle_feedback():
        raise Http404
    try:
        return Feedback.objects.get(pk=feedback_id)
    except (Feedback.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def feedback_log_listing(*, actor: User, feedback: list[Feedback], route: str = "") -> None:
    """Log that the actor read these messages (one row per sender who was logged in).

    Feedback from someone who was not logged in has no person to log it against.
    """
    log_listing(
        actor=actor, rows=feedback, subject_of=lambda fb: fb.sender_id, purpose="feedback handling", route=route
    )


# -- the access log: read here, written only by core.access --------------------------------------
def access_log_about(*, subject_id: int, since: dt.datetime | None = None) -> QuerySet[AccessLogEntry]:
    """Entries about the person written by others (their own visits are not listed)."""
    qs = AccessLogEntry.objects.filter(subject_id=subject_id).exclude(actor_id=subject_id)
    if since is not None:
        qs = qs.filter(occurred_at__gte=since)
    return qs.order_by("-occurred_at", "-id")


def last_read_by(*, actor_id: int, subject: Any, purposes: Iterable[str]) -> Subquery:
    """When the actor last read the person's data for one of these purposes, as a subquery for
    an ``annotate`` (``subject`` is an ``OuterRef`` to the person's id): "changed since my last
    visit" without a query per row."""
    return Subquery(
        AccessLogEntry.objects.filter(actor_id=actor_id, subject_id=subject, purpose__in=list(purposes))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )


def access_log_filtered(
    *,
    actor_ids: Iterable[int] | None = None,
    actor_text: str = "",
    subject_ids: Iterable[int] | None = None,
    object_type: str = "",
    action: str = "",
    since: dt.datetime | None = None,
    before: dt.datetime | None = None,
) -> QuerySet[AccessLogEntry]:
    """The whole log, filtered; the caller checks that the actor may search it."""
    qs = AccessLogEntry.objects.all()
    if actor_ids is not None or actor_text:
        qs = qs.filter(Q(actor_id__in=list(actor_ids or [])) | Q(actor_label__icontains=actor_text or "\x00"))
    if subject_ids is not None:
        qs = qs.filter(subject_id__in=list(subject_ids))
    if object_type:
        qs = qs.filter(object_type__icontains=object_type)
    if action:
        qs = qs.filter(action=action)
    if since is not None:
        qs = qs.filter(occurred_at__gte=since)
    if before is not None:
        qs = qs.filter(occurred_at__lt=before)
    return qs.order_by("-occurred_at", "-id")


def access_log_object_types() -> list[str]:
    return list(AccessLogEntry.objects.order_by("object_type").values_list("object_type", flat=True).distinct())


def access_log_none() -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.none()
