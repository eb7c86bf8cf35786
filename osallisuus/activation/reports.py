"""Anonymous figures for the municipality, suppressed with the platform's one rule.

Every figure counts distinct participants (never rows), for the plans kept by the given
organisations. Small groups are hidden by ``core.suppression`` (its threshold comes from
``SUPPRESSION_MIN_CELL_SIZE``; nothing here can ask for less):

* the cross table "goals by area of life and status" publishes its per-area totals (they are
  the chart of participants with goals by area), so it is suppressed as a table
  (``suppress_table``): a hidden cell is never the total minus the cells shown. Each person is
  counted once in each area, by their most current goal there, so the cells of a row add up to
  its total;
* "plans by status" publishes the number of all plans: a vector with a published total
  (``suppress``); "plans in use" is the same cell;
* the other charts (how goals are going, outcomes, activities) may count one person in several
  groups and publish no total; they are suppressed as vectors all the same (``suppress``), which
  hides at least one more group beside a small one;
* the meeting wait is one figure about a group of people (``shown_count``).

An empty group is shown as 0: it reveals nobody.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Min, Q, Value, When

from osallisuus.core.suppression import min_cell_size, shown_count, suppress, suppress_table

from .models import Basket, Goal, Meeting, Outcome, Plan, SignUp

Scope = Collection[int]
"""Ids of the organisations whose plans are counted."""

GOAL_PRECEDENCE = (
    Goal.Lifecycle.ACTIVE,
    Goal.Lifecycle.ON_HOLD,
    Goal.Lifecycle.PROPOSED,
    Goal.Lifecycle.COMPLETED,
    Goal.Lifecycle.CANCELLED,
)
"""A person with several goals in one area of life is counted there by the first of these they have."""


@dataclass(frozen=True)
class Figure:
    label: str
    count: int | None
    """None when the group is hidden (``core.suppression``)."""
    share: int = 0
    """Width of the bar, 0–100, relative to the largest figure shown."""

    @property
    def hidden(self) -> bool:
        return self.count is None


def _bars(labels: Sequence[Any], published: Sequence[int | None]) -> list[Figure]:
    top = max((n for n in published if n), default=0)
    return [
        Figure(str(label), n, round(100 * n / top) if n and top else 0)
        for label, n in zip(labels, published, strict=True)
    ]


def _vector(labels: Sequence[Any], counts: list[int]) -> tuple[list[Figure], int | None]:
    """The figures of one vector and its total, as published (``None`` where hidden). Nobody
    counted at all is shown as zeros: it reveals nobody."""
    if not any(counts):
        return _bars(labels, counts), 0
    decision = suppress(counts)
    total = sum(counts) if decision.total_shown else None
    return _bars(labels, decision.values(counts)), total


def plans_by_status(orgs: Scope) -> tuple[list[Figure], int | None]:
    counts = dict(
        Plan.objects.filter(organisation_id__in=orgs)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return _vector(Plan.Status.labels, [counts.get(value, 0) for value in Plan.Status.values])


def goals_by_basket_and_status(orgs: Scope) -> dict[str, Any]:
    """Participants by area of life and where their goals there stand (a cross table with
    per-area totals). The column totals are not published: one person may be in several areas."""
    rank = Case(
        *[When(lifecycle_status=status, then=Value(i)) for i, status in enumerate(GOAL_PRECEDENCE)],
        output_field=IntegerField(),
    )
    ranked = (
        Goal.objects.filter(plan__organisation_id__in=orgs)
        .values("plan_id", "basket")
        .annotate(rank=Min(rank))
        .values_list("plan_id", "basket", "rank")
    )
    found: Counter[tuple[str, str]] = Counter((basket, str(GOAL_PRECEDENCE[r])) for _plan, basket, r in ranked)
    statuses = Goal.Lifecycle.values
    grid = [[found[(basket, status)] for status in statuses] for basket in Basket.values]
    cells: list[list[int | None]]
    totals: list[int | None]
    if any(map(any, grid)):
        decision = suppress_table(grid)
        cells = decision.values(grid)
        totals = [sum(row) if decision.row_total_shown(r) else None for r, row in enumerate(grid)]
    else:  # nobody has goals yet: zeros reveal nobody
        cells, totals = [list(row) for row in grid], [0 for _row in grid]
    labels = [str(label) for label in Basket.labels]
    return {
        "statuses": [str(label) for label in Goal.Lifecycle.labels],
        "rows": [
            {"label": label, "cells": row, "total": total}
            for label, row, total in zip(labels, cells, totals, strict=True)
        ],
        "chart": _bars(labels, totals),
    }


def _people_by(queryset: Any, field: str, values: Sequence[str]) -> list[int]:
    counts = dict(queryset.values(field).annotate(n=Count("plan__participant", distinct=True)).values_list(field, "n"))
    return [counts.get(value, 0) for value in values]


def goals_by_achievement(orgs: Scope) -> list[Figure]:
    goals = Goal.objects.filter(plan__organisation_id__in=orgs)
    values = Goal.Achievement.values
    return _vector(Goal.Achievement.labels, _people_by(goals, "achievement_status", values))[0]


def activities_used(orgs: Scope) -> list[Figure]:
    """Participants with a place, by the activity's area of life (one query)."""
    places = SignUp.objects.filter(
        status=SignUp.Status.SIGNED_UP, participant__activation_plan__organisation_id__in=orgs
    ).aggregate(
        **{
            basket: Count("participant", distinct=True, filter=Q(activity__baskets__contains=f",{basket},"))
            for basket in Basket.values
        }
    )
    return _vector(Basket.labels, [int(places[basket] or 0) for basket in Basket.values])[0]


def outcomes_by_kind(orgs: Scope) -> list[Figure]:
    outcomes = Outcome.objects.filter(plan__organisation_id__in=orgs)
    return _vector(Outcome.Kind.labels, _people_by(outcomes, "kind", Outcome.Kind.values))[0]


def meeting_wait_days(orgs: Scope) -> dict[str, Any]:
    """Days from asking for a meeting to the agreed time: the median and how many meetings,
    shown only when the meetings are of enough people (``shown_count``)."""
    rows = list(
        Meeting.objects.filter(
            status__in=[Meeting.Status.SCHEDULED, Meeting.Status.HELD],
            starts_at__isnull=False,
            plan__organisation_id__in=orgs,
        ).values_list("requested_at", "starts_at", "plan__participant_id")
    )
    people = shown_count(len({person for _asked, _start, person in rows}))
    if not people:
        return {"people": people, "count": None, "median": None}
    waits = [max(0.0, (start - asked).total_seconds() / 86400) for asked, start, _person in rows if start is not None]
    return {"people": people, "count": len(waits), "median": round(statistics.median(waits), 1)}


def report(*, organisation_ids: Scope) -> dict[str, Any]:
    """The figures of the plans kept by the given organisations (where the reader may see reports)."""
    orgs = set(organisation_ids)
    plans, plans_total = plans_by_status(orgs)
    return {
        "threshold": min_cell_size(),
        "active_plans": plans[Plan.Status.values.index(Plan.Status.ACTIVE)].count,
        "plans_by_status": plans,
        "plans_total": plans_total,
        "goals": goals_by_basket_and_status(orgs),
        "achievement": goals_by_achievement(orgs),
        "activities": activities_used(orgs),
        "outcomes": outcomes_by_kind(orgs),
        "meetings": meeting_wait_days(orgs),
    }
