"""Experts by experience: profiles, training, fee schedules, requests, offers, agreements,
expenses, earnings limits, wellbeing and peer events.

Money is ``Decimal`` everywhere. Figures that change over time (fee schedules, travel
rates, public reference figures, training recommendations) are rows with effective dates
and a source, editable in the admin site, never constants in code.
"""

from .money import EarningsLimit, ExpenseItem, ExpenseReport
from .registry import (
    ExperienceArea,
    Expert,
    ExpertQuerySet,
    NamedCode,
    TaskType,
    TrainingCourse,
    TrainingRecommendation,
)
from .schedules import FEE_RETENTION, FeeItem, FeeSchedule, ReferenceFigure
from .tasks import Agreement, AgreementQuerySet, Offer, TaskRequest, TaskRequestQuerySet
from .wellbeing import CheckIn, PeerEvent, SupportSession

__all__ = [
    "FEE_RETENTION",
    "Agreement",
    "AgreementQuerySet",
    "CheckIn",
    "EarningsLimit",
    "ExpenseItem",
    "ExpenseReport",
    "ExperienceArea",
    "Expert",
    "ExpertQuerySet",
    "FeeItem",
    "FeeSchedule",
    "NamedCode",
    "Offer",
    "PeerEvent",
    "ReferenceFigure",
    "SupportSession",
    "TaskRequest",
    "TaskRequestQuerySet",
    "TaskType",
    "TrainingCourse",
    "TrainingRecommendation",
]
