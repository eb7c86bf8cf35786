"""Anonymous figures for the municipality. Groups of fewer than five people are never shown.

Every figure is a count of distinct participants (never of rows), so a person cannot be
singled out by adding rows up; a suppressed figure is shown as "fewer than 5" and the
totals are computed from the unsuppressed data but suppressed in the same way.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import Basket, Goal, Meeting, Outcome, Plan, SignUp

MIN_GROUP = 5

Scope = Collection[int]
"""Ids of the organisations whose plans are counted."""


@dataclass(frozen=True)
class Figure:
    label: str
    count: int | None
    """None when the group is smaller than ``MIN_GROUP`` (suppressed)."""
    share: int = 0
    """Width of the bar, 0–100, relative to the largest figure shown."""

    @property
    def suppressed(self) -> bool:
        return self.count is None


def suppress(value: int) -> int | None:
    return value if value >= MIN_GROUP else None


def _figures(rows: list[tuple[Any, int]]) -> list[Figure]:
    shown = [(label, suppress(n)) for label, n in rows]
    top = max([n for _label, n in shown if n is not None], default=0)
    return [Figure(str(label), n, round(100 * n / top) if n and top else 0) for label, n in shown]


def active_plans(orgs: Scope) -> int | None:
    return suppress(Plan.objects.filter(organisation_id__in=orgs, status=Plan.Status.ACTIVE).count())


def plans_by_status(orgs: Scope) -> list[Figure]:
    counts = dict(
        Plan.objects.filter(organisation_id__in=orgs)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return _figures([(label, counts.get(value, 0)) for value, label in Plan.Status.choices])


def goals_by_basket_and_status(orgs: Scope) -> dict[str, Any]:
    """Participants with at least one goal in each basket and status (a cross table)."""
    rows = (
        Goal.objects.filter(plan__organisation_id__in=orgs)
        .values("basket", "lifecycle_status")
        .annotate(n=Count("plan__participant", distinct=True))
        .values_list("basket", "lifecycle_status", "n")
    )
    counts = {(b, s): n for b, s, n in rows}
    statuses = [(v, str(label)) for v, label in Goal.Lifecycle.choices]
    table = []
    for basket, label in Basket.choices:
        table.append({"label": str(label), "cells": [suppress(counts.get((basket, s), 0)) for s, _l in statuses]})
    per_basket = (
        Goal.objects.filter(plan__organisation_id__in=orgs)
        .values("basket")
        .annotate(n=Count("plan__participant", distinct=True))
        .values_list("basket", "n")
    )
    basket_counts = dict(per_basket)
    return {
        "statuses": [label for _v, label in statuses],
        "rows": table,
        "chart": _figures([(label, basket_counts.get(value, 0)) for value, label in Basket.choices]),
    }


def goals_by_achievement(orgs: Scope) -> list[Figure]:
    counts = dict(
        Goal.objects.filter(plan__organisation_id__in=orgs)
        .values("achievement_status")
        .annotate(n=Count("plan__participant", distinct=True))
        .values_list("achievement_status", "n")
    )
    return _figures([(label, counts.get(value, 0)) for value, label in Goal.Achievement.choices])


def activities_used(orgs: Scope) -> list[Figure]:
    """Participants with a place, by the activity's area of life."""
    rows = []
    for value, label in Basket.choices:
        n = (
            SignUp.objects.filter(
                status=SignUp.Status.SIGNED_UP,
                activity__baskets__contains=f",{value},",
                participant__activation_plan__organisation_id__in=orgs,
            )
            .values("participant")
            .distinct()
            .count()
        )
        rows.append((label, n))
    return _figures(rows)


def outcomes_by_kind(orgs: Scope) -> list[Figure]:
    counts = dict(
        Outcome.objects.filter(plan__organisation_id__in=orgs)
        .values("kind")
        .annotate(n=Count("plan__participant", distinct=True))
        .values_list("kind", "n")
    )
    return _figures([(label, counts.get(value, 0)) for value, label in Outcome.Kind.choices])


def meeting_wait_days(orgs: Scope) -> dict[str, Any]:
    """Days from asking for a meeting to the agreed time (median and count), only for 5 or more."""
    rows = Meeting.objects.filter(
        Q(status=Meeting.Status.SCHEDULED) | Q(status=Meeting.Status.HELD),
        starts_at__isnull=False,
        plan__organisation_id__in=orgs,
    ).values_list("requested_at", "starts_at", "plan__participant_id")
    waits = [max(0.0, (start - asked).total_seconds() / 86400) for asked, start, _p in rows if start is not None]
    people = {p for _a, _s, p in rows}
    if len(people) < MIN_GROUP:
        return {"count": None, "median": None}
    return {"count": len(waits), "median": round(statistics.median(waits), 1)}


def report(*, organisation_ids: Scope) -> dict[str, Any]:
    """The figures of the plans kept by the given organisations (those where the reader may see reports)."""
    orgs = set(organisation_ids)
    return {
        "min_group": MIN_GROUP,
        "active_plans": active_plans(orgs),
        "plans_by_status": plans_by_status(orgs),
        "goals": goals_by_basket_and_status(orgs),
        "achievement": goals_by_achievement(orgs),
        "activities": activities_used(orgs),
        "outcomes": outcomes_by_kind(orgs),
        "meetings": meeting_wait_days(orgs),
        "labels": {
            "fewer": _("fewer than 5"),
        },
    }
