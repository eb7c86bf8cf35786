"""Pages of the experts module, along the journey: orderer → coordinator → expert → orderer →
expert → coordinator.

Views read the form, call one service or selector and render (``core.http.render``). Rules
live in ``permissions`` (decisions the templates show), services, ``fees``, ``earnings``,
``training`` and ``matching``; gates give the same 404 for missing and forbidden."""

from .agreements import (
    agreement_cancel,
    agreement_confirm,
    agreement_detail,
    agreement_feedback,
    agreement_ics,
    agreement_pdf,
    agreement_reschedule,
)
from .expenses import expenses, payments, payments_export
from .home import home
from .offers import offer_accept, offer_decline, offer_detail, offers
from .own import checkin, limits, profile, statement_pdf
from .registry import (
    certificate_pdf,
    expert_detail,
    expert_invite,
    expert_limits,
    expert_list,
    expert_new,
    expert_status,
)
from .reports import reference, reports
from .requests import (
    request_detail,
    request_details,
    request_new,
    request_offer,
    request_partner,
    request_review,
    requests,
)
from .wellbeing import peer_events, sessions, wellbeing

__all__ = [
    "agreement_cancel",
    "agreement_confirm",
    "agreement_detail",
    "agreement_feedback",
    "agreement_ics",
    "agreement_pdf",
    "agreement_reschedule",
    "certificate_pdf",
    "checkin",
    "expenses",
    "expert_detail",
    "expert_invite",
    "expert_limits",
    "expert_list",
    "expert_new",
    "expert_status",
    "home",
    "limits",
    "offer_accept",
    "offer_decline",
    "offer_detail",
    "offers",
    "payments",
    "payments_export",
    "peer_events",
    "profile",
    "reference",
    "reports",
    "request_detail",
    "request_details",
    "request_new",
    "request_offer",
    "request_partner",
    "request_review",
    "requests",
    "sessions",
    "statement_pdf",
    "wellbeing",
]
