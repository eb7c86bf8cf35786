"""Reads for the core: the feedback administrators handle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

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
    from django.http import Http404

    if not actor.permissions.can_handle_feedback():
        raise Http404
    try:
        return Feedback.objects.get(pk=feedback_id)
    except (Feedback.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def feedback_log_listing(*, actor: User, feedback: list[Feedback], route: str = "") -> None:
    """Log that the actor read these messages (one row per message from a logged-in sender).

    Feedback from someone who was not logged in has no person to log it against.
    """
    rows = []
    for fb in feedback:
        if fb.sender_id is None or fb.sender_id == actor.pk:
            continue
        rows.append(
            AccessLogEntry(
                actor=actor,
                actor_label=str(actor)[:200],
                subject_id=fb.sender_id,
                object_type="core.feedback",
                object_id=str(fb.pk),
                action=AccessLogEntry.Action.LIST,
                purpose="feedback handling",
                route=route[:200],
            )
        )
    if not rows:
        return
    # One query for the actor's organisations, however many messages the page shows.
    organisations = ", ".join(sorted(set(actor.memberships.values_list("organisation__name", flat=True))))[:200]
    for row in rows:
        row.actor_organisation = organisations
    AccessLogEntry.objects.bulk_create(rows)
