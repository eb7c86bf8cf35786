"""One rule for "trained": does an expert's basic training meet a recommendation?

The recommendations are data (``TrainingRecommendation``: hours, months and contact days,
with a source); the one marked *used in matching* decides whether an expert is trained.
Matching asks the database with ``meets_q`` and pages ask in Python with ``meets``: both say
the same thing (a property test checks it), so the coordinator's page never calls untrained
an expert whom matching offers tasks, or the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from .models import Expert, TrainingRecommendation


@dataclass(frozen=True)
class Recommendation:
    name: str
    min_hours: Decimal
    min_months: int
    min_contact_days: int = 0

    @classmethod
    def of(cls, rec: TrainingRecommendation) -> Recommendation:
        return cls(
            name=rec.name, min_hours=rec.min_hours, min_months=rec.min_months, min_contact_days=rec.min_contact_days
        )


NO_RECOMMENDATION = Recommendation(name="", min_hours=Decimal("0.1"), min_months=0)
"""Without a recommendation in use, an expert with any basic training counts as trained."""


def matching_recommendation() -> Recommendation:
    """The recommendation used in matching (the administrator marks it)."""
    rec = TrainingRecommendation.objects.filter(is_default=True).order_by("code").first()
    return Recommendation.of(rec) if rec is not None else NO_RECOMMENDATION


def meets(expert: Expert, rec: Recommendation) -> bool:
    """The expert's basic training totals meet the recommendation (hours, months, contact days)."""
    return (
        expert.training_hours >= rec.min_hours
        and expert.training_months >= rec.min_months
        and expert.training_contact_days >= rec.min_contact_days
    )


def meets_q(rec: Recommendation, prefix: str = "") -> Q:
    """``meets`` as a database condition on experts."""
    return Q(
        **{
            f"{prefix}training_hours__gte": rec.min_hours,
            f"{prefix}training_months__gte": rec.min_months,
            f"{prefix}training_contact_days__gte": rec.min_contact_days,
        }
    )


def is_trained(expert: Expert, rec: Recommendation | None = None) -> bool:
    """Trained: the training meets the recommendation used in matching."""
    return meets(expert, rec or matching_recommendation())


@dataclass(frozen=True)
class RecommendationStatus:
    """One recommendation and whether the expert's training meets it (for the pages)."""

    recommendation: Any
    meets: bool
    used_in_matching: bool


def recommendation_statuses(expert: Expert) -> list[RecommendationStatus]:
    """Every published recommendation with the expert's answer, the one used in matching first."""
    return [
        RecommendationStatus(
            recommendation=rec, meets=meets(expert, Recommendation.of(rec)), used_in_matching=rec.is_default
        )
        for rec in TrainingRecommendation.objects.all()
    ]
