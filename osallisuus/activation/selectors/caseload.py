"""The own worker's caseload: searched and sorted in SQL, counted per row only for one page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from osallisuus.core.collation import finnish, search_filter
from osallisuus.core.selectors import last_read_by

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
CASELOAD_FILTERS = {"status": Plan.Status.values, "changed": ["1"]}
# What counts as the worker's visit to a plan: reading or changing it or one of its goals.
VISIT_PURPOSES = (
    "read the plan",
    "edit the plan",
    "write a goal",
    "read a goal",
    "change a goal",
    "compare goal versions",
    "write a progress note",
)


def caseload(*, actor: User, q: str = "", status: str = "", changed: bool = False) -> QuerySet[Plan]:
    """The plans of the worker's clients, searched by name and filtered by the plan's status;
    ``changed``: only those changed since the worker last opened them (or never opened).

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
    if changed:
        qs = _changed_since_visit(qs, actor=actor)
    return qs


def _changed_since_visit(qs: QuerySet[Plan, Any], *, actor: User) -> Any:
    """The plan itself or one of its goals changed after the worker's last visit (one query)."""
    latest_goal = Goal.objects.filter(plan=OuterRef("pk")).order_by("-updated_at").values("updated_at")[:1]
    return qs.annotate(
        last_visit=last_read_by(actor_id=actor.pk, subject=OuterRef("participant_id"), purposes=VISIT_PURPOSES),
        changed_at=Greatest(F("updated_at"), Coalesce(Subquery(latest_goal), F("updated_at"))),
    ).filter(Q(last_visit__isnull=True) | Q(changed_at__gt=F("last_visit")))


def plans_changed_count(*, actor: User) -> int:
    """For the worker's front page: how many clients' plans changed since his last visit."""
    return caseload(actor=actor, changed=True).count()


def meeting_requests_count(*, actor: User) -> int:
    """For the worker's front page: meeting requests from his clients that wait for a time."""
    return Meeting.objects.filter(
        plan__participant_id__in=permissions.client_ids_of(actor), status=Meeting.Status.REQUESTED
    ).count()


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
