"""services: one function per change of partnership funding, split along the journeys.

``money.py``, ``groups.py`` and ``portfolio.py`` (payments, loans, reports, groups) are kept apart.
"""

from __future__ import annotations

from ._base import FundingError, FundingForbidden, money, rule_in_force
from .applications import (
    application_create,
    application_resubmit,
    application_save,
    application_submit,
    application_user_add,
    application_withdraw,
    attachment_add,
    eura_update,
    financing_check,
    totals_of,
)
from .decisions import decision_make
from .programmes import (
    advice_add,
    call_create,
    envelope_set,
    frame_document_add,
    funder_add,
    idea_invite,
    idea_present,
    info_event_create,
    programme_create,
)
from .review import hearing_ics, hearing_minutes, hearing_schedule, recommendation_write, review_write

__all__ = [
    "FundingError",
    "FundingForbidden",
    "advice_add",
    "application_create",
    "application_resubmit",
    "application_save",
    "application_submit",
    "application_user_add",
    "application_withdraw",
    "attachment_add",
    "call_create",
    "decision_make",
    "envelope_set",
    "eura_update",
    "financing_check",
    "frame_document_add",
    "funder_add",
    "hearing_ics",
    "hearing_minutes",
    "hearing_schedule",
    "idea_invite",
    "idea_present",
    "info_event_create",
    "money",
    "programme_create",
    "recommendation_write",
    "review_write",
    "rule_in_force",
    "totals_of",
]
