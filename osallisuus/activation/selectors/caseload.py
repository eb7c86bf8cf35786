"""The own worker's caseload: searched and sorted in SQL, counted per row only for one page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from osallisuus.core.collation import finnish, search_filter

from .. import permissions
from ..models import (
    Goal,
    Meeting,
    Plan,
)
from ._log import log_rows as _log_rows

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


# -- caseload --------------------------------------------------------------------------------
CASELOAD_SORTS: dict[str, tuple[Any, ...]] = {
    "attention": ("-has_request", finnish("participant__full_name"), "pk"),
    "name": (finnish("participant__full_name"), "pk"),
    "updated": ("-updated_at", "pk"),
}
CASELOAD_FILTERS = {"status": Plan.Status.values}


def caseload(*, actor: User, q: str = "", status: str = "") -> QuerySet[Plan]:
    """The plans of the worker's clients, searched by name and filtered by the plan's status.

    Only what sorting needs is computed here (whether a meeting request waits), so the page is
    sorted, counted and cut in SQL before anything is counted per row (``caseload_figures``)."""
    open_requests = Meeting.objects.filter(plan=OuterRef("pk"), status=Meeting.Status.REQUESTED)
    qs = (
        Plan.objects.filter(participant_id__in=permissions.client_ids_of(actor))
        .select_related("participant")
        .annotate(has_request=Exists(open_requests))
    )
    if q:
        qs = qs.filter(search_filter(q, ["participant__full_name"]))
    if status:
        qs = qs.filter(status=status)
    return qs


@dataclass
class CaseloadRow:
    plan: Plan
    open_goals: int
    proposed_goals: int
    meeting_requests: int
    next_meeting: Any


def _count_of(queryset: QuerySet[Any]) -> Coalesce:
    counted = queryset.order_by().values("plan").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def caseload_figures(*, plans: list[Plan]) -> list[CaseloadRow]:
    """What needs attention in each plan of one page: one query, however many plans there are."""
    goals = Goal.objects.filter(plan=OuterRef("pk"))
    meetings = Meeting.objects.filter(plan=OuterRef("pk"))
    figures = {
        row["pk"]: row
        for row in Plan.objects.filter(pk__in=[p.pk for p in plans])
        .annotate(
            open_goals=_count_of(goals.filter(lifecycle_status=Goal.Lifecycle.ACTIVE)),
            proposed_goals=_count_of(goals.filter(lifecycle_status=Goal.Lifecycle.PROPOSED)),
            meeting_requests=_count_of(meetings.filter(status=Meeting.Status.REQUESTED)),
            next_meeting=Subquery(
                meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now())
                .order_by("starts_at")
                .values("starts_at")[:1]
            ),
        )
        .values("pk", "open_goals", "proposed_goals", "meeting_requests", "next_meeting")
    }
    return [
        CaseloadRow(
            plan=p,
            open_goals=figures[p.pk]["open_goals"],
            proposed_goals=figures[p.pk]["proposed_goals"],
            meeting_requests=figures[p.pk]["meeting_requests"],
            next_meeting=figures[p.pk]["next_meeting"],
        )
        for p in plans
    ]


def caseload_log(*, actor: User, plans: Iterable[Plan], route: str = "") -> None:
    _log_rows(actor=actor, rows=[(p.participant_id, p) for p in plans], purpose="caseload list", route=route)
