"""Reads for the core: the feedback administrators handle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .access import log_listing
from .models import Feedback

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
    """Log that the actor read these messages (one row per sender who was logged in).

    Feedback from someone who was not logged in has no person to log it against.
    """
    log_listing(
        actor=actor, rows=feedback, subject_of=lambda fb: fb.sender_id, purpose="feedback handling", route=route
    )
