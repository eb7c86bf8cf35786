"""Partnership funding: the Kuopio model and the internal-call model.

A *programme* (e.g. "Järvilahden kumppanuusrahoitus 2027") has *funders*, each with a yearly
*envelope* whose cap is data with a source. NGOs present *ideas* and get advice, then apply in a
*call*. An *application* has a plan, outputs with indicators, a cost estimate and a financing plan
that must add up to it. The funders *review* it against the call's weighted criteria, hear the
applicant, and each funder makes its own *decision* (ELY the ESF+state share, the city its own
share) under its own envelope. *Payments* (advance, instalment, lump sum on verified outputs) and
the city's self-financing *loan* follow. A *group* (the programme's steering group, or a project's
own group) meets and records decisions.

Money is ``Decimal`` with two decimals everywhere; the rules that are law or policy (the lump-sum
limit, the advance share, attachment limits) are ``FundingRule`` rows with an effective date and a
source, never constants in code.

An envelope keeps running totals (``decided``, ``paid``) that only the services change, under a
row lock (``select_for_update``), so two officers deciding at once cannot take it over its cap; the
database also refuses a total above the cap.

Split by journey into modules; every name is re-exported here."""

from __future__ import annotations

from .applications import Application, ApplicationUser, Attachment, Call, CostLine, Criterion, FinancingLine, Output
from .base import MONEY, RECORD_RETENTION, ZERO, _tracking_number
from .frame import Advice, Envelope, FrameDocument, Funder, FundingRule, Idea, InfoEvent, Programme
from .groups import Group, GroupDecision, GroupMeeting, GroupMember
from .money import Loan, LoanInstalment, Payment, Report
from .review import Decision, Hearing, Recommendation, Review, Score

__all__ = [
    "MONEY",
    "RECORD_RETENTION",
    "ZERO",
    "Advice",
    "Application",
    "ApplicationUser",
    "Attachment",
    "Call",
    "CostLine",
    "Criterion",
    "Decision",
    "Envelope",
    "FinancingLine",
    "FrameDocument",
    "Funder",
    "FundingRule",
    "Group",
    "GroupDecision",
    "GroupMeeting",
    "GroupMember",
    "Hearing",
    "Idea",
    "InfoEvent",
    "Loan",
    "LoanInstalment",
    "Output",
    "Payment",
    "Programme",
    "Recommendation",
    "Report",
    "Review",
    "Score",
    "_tracking_number",
]
