"""Feedback after a task goes through the measurement engine: which questionnaire each side
answers and how a task is named there (its number only, no personal data)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext

from .permissions import agreements_visible_to

if TYPE_CHECKING:
    from .models import Agreement

FEEDBACK_MODULE = "experts"
FEEDBACK_INSTRUMENTS = {"expert": "expert-task-feedback", "orderer": "orderer-task-feedback"}
"""The measurement engine's questionnaires for each side of a task (docs/measurement.md)."""


def feedback_ref(agreement: Agreement) -> str:
    """The agreement's reference in the measurement engine: its number only, no personal data."""
    return f"agreement:{agreement.pk}"


def task_link(context_ref: str, user: Any) -> tuple[str, str] | None:
    """Measurement's link back from the task feedback (context ``agreement:<pk>``) to the task,
    for a person who may open the task; ``None`` for anyone else. Reads no personal data."""
    kind, _sep, pk = context_ref.partition(":")
    if kind != "agreement" or not pk.isdigit() or not agreements_visible_to(user).filter(pk=int(pk)).exists():
        return None
    return gettext("Back to the task"), reverse("experts:agreement_detail", args=[int(pk)])
