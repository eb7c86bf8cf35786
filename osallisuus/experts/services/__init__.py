"""Writes of the experts module, along the journey: the registry, requests, offers, agreed
tasks, expenses, and the expert's limits and wellbeing. Every function checks the actor's
right with a predicate of ``permissions``, validates, writes in one transaction, records a
change event (``experts.<entity>.<verb>``) and notifies through the notification centre.

Callers use ``services.offer_accept`` and so on: this package re-exports every function."""

from ..errors import ExpertsError, ExpertsForbidden, FeedbackNotYours, validation_message
from ..feedback import FEEDBACK_INSTRUMENTS, FEEDBACK_MODULE, feedback_ref
from .agreements import (
    RESCHEDULE_HORIZON,
    agreement_cancel,
    agreement_confirm,
    agreement_reschedule,
    feedback_start,
    send_reminders,
)
from .expenses import (
    RECEIPT_MAX_BYTES,
    RECEIPT_TYPES,
    ExpenseInput,
    expense_amounts,
    expenses_approve,
    expenses_caps,
    expenses_submit,
    receipt_check,
)
from .offers import Terms, offer_accept, offer_decline, offer_make, overlapping_agreement, terms_for
from .placements import placement_end, placement_start
from .registry import (
    CONSENT_FIELDS,
    Registered,
    StatusChanged,
    expert_invitation_resend,
    expert_profile_update,
    expert_register,
    expert_status_change,
    training_record,
    training_totals_refresh,
)
from .requests import request_add_details, request_file, request_partner_change, request_review
from .schedules import fee_schedule_copy
from .wellbeing import (
    checkin_record,
    earnings_limit_add,
    earnings_limit_remove,
    peer_event_signup,
    support_session_record,
)

__all__ = [
    "CONSENT_FIELDS",
    "FEEDBACK_INSTRUMENTS",
    "FEEDBACK_MODULE",
    "RECEIPT_MAX_BYTES",
    "RECEIPT_TYPES",
    "RESCHEDULE_HORIZON",
    "ExpenseInput",
    "ExpertsError",
    "ExpertsForbidden",
    "FeedbackNotYours",
    "Registered",
    "StatusChanged",
    "Terms",
    "agreement_cancel",
    "agreement_confirm",
    "agreement_reschedule",
    "checkin_record",
    "earnings_limit_add",
    "earnings_limit_remove",
    "expense_amounts",
    "expenses_approve",
    "expenses_caps",
    "expenses_submit",
    "expert_invitation_resend",
    "expert_profile_update",
    "expert_register",
    "expert_status_change",
    "fee_schedule_copy",
    "feedback_ref",
    "feedback_start",
    "offer_accept",
    "offer_decline",
    "offer_make",
    "overlapping_agreement",
    "peer_event_signup",
    "placement_end",
    "placement_start",
    "receipt_check",
    "request_add_details",
    "request_file",
    "request_partner_change",
    "request_review",
    "send_reminders",
    "support_session_record",
    "terms_for",
    "training_record",
    "training_totals_refresh",
    "validation_message",
]
