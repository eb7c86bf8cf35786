"""Matching: a ranked list of suitable experts for one request, computed in the database.

Hard conditions (an expert who fails one is not a candidate): same brokering organisation,
active, not paused on the task date, speaks the language, training meets the recommendation
used in matching (``training.meets_q``: the same rule as the pages), works remotely or on site
as the task needs, free at that time, not yet offered this task. The ranking then prefers the
experience area asked for, the region, the task types the expert wants, and — for fairness —
fewer tasks this month and a longer time since the last offer, so the same few are not always
asked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar, cast

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Agreement, Expert, Offer, TaskRequest
from .training import Recommendation, matching_recommendation, meets_q

__all__ = ["Row", "annotation", "candidates", "eligible", "matching_recommendation", "ranked_table", "reasons"]

T = TypeVar("T")

WEIGHT_AREA = 40
WEIGHT_REGION = 20
WEIGHT_TASK_TYPE = 10
WEIGHT_PER_TASK_THIS_MONTH = 5


def month_bounds(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    local = timezone.localtime(moment)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


def eligible(request: TaskRequest, rec: Recommendation | None = None) -> QuerySet[Expert]:
    """The hard conditions only (also the baseline of the benchmark)."""
    rec = rec or matching_recommendation()
    day = timezone.localtime(request.starts_at).date()
    qs = (
        Expert.objects.active()
        .available_on(day)
        .filter(meets_q(rec), organisation_id=request.broker_id, languages__contains=f",{request.language},")
    )
    return qs.filter(works_remotely=True) if request.remote else qs.filter(works_on_site=True)


def _scored(qs: QuerySet[Expert], request: TaskRequest, month_start: dt.datetime, month_end: dt.datetime) -> QuerySet:
    """The ranking annotations: experience area, region, wanted task type, tasks this month, score."""
    through_area = Expert.experience_areas.through.objects.filter(
        expert_id=OuterRef("pk"),
        experiencearea_id=request.experience_area_id,  # type: ignore[misc]
    )
    through_type = Expert.task_types.through.objects.filter(expert_id=OuterRef("pk"), tasktype_id=request.task_type_id)
    tasks_month = (
        Agreement.objects.binding()
        .filter(expert_id=OuterRef("pk"), starts_at__gte=month_start, starts_at__lt=month_end)
        .order_by()
        .values("expert_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        area_match=Exists(through_area) if request.experience_area_id else Value(False, BooleanField()),
        type_match=Exists(through_type),
        region_match=Case(
            When(region__iexact=request.region, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        if request.region
        else Value(False, BooleanField()),
        tasks_this_month=Coalesce(Subquery(tasks_month, output_field=IntegerField()), 0),
    ).annotate(
        score=Case(When(area_match=True, then=Value(WEIGHT_AREA)), default=Value(0))
        + Case(When(region_match=True, then=Value(WEIGHT_REGION)), default=Value(0))
        + Case(When(type_match=True, then=Value(WEIGHT_TASK_TYPE)), default=Value(0))
        - F("tasks_this_month") * WEIGHT_PER_TASK_THIS_MONTH
    )


def _ranked_ids(request: TaskRequest, rec: Recommendation, limit: int) -> list[int]:
    """The ids of the best ``limit`` eligible experts, ranked in one SQL statement.

    The hard conditions are the ORM's (``eligible`` and the two exclusions below); they are
    composed here with the ranking so that each part is computed once per row: the month's
    task counts are aggregated once and joined (not a correlated count per expert, twice),
    and the experience-area and task-type matches are hashed sets of ids.
    """
    month_start, month_end = month_bounds(request.starts_at)
    busy = Agreement.objects.binding().filter(
        expert__user_id=OuterRef("user_id"), starts_at__lt=request.ends_at, ends_at__gt=request.starts_at
    )
    offered = Offer.objects.filter(request_id=request.pk, expert_id=OuterRef("pk"))
    region_match = (
        Case(When(region__iexact=request.region, then=Value(1)), default=Value(0), output_field=IntegerField())
        if request.region
        else Value(0, IntegerField())
    )
    pool = (
        eligible(request, rec)
        .filter(~Exists(busy), ~Exists(offered))
        .annotate(region_match=region_match)
        .order_by()
        .values_list("pk", "last_offered_at", "region_match")
    )
    month = (
        Agreement.objects.binding()
        .filter(expert__organisation_id=request.broker_id, starts_at__gte=month_start, starts_at__lt=month_end)
        .order_by()
        .values("expert_id")
        .annotate(n=Count("pk"))
        .values_list("expert_id", "n")
    )
    areas = Expert.experience_areas.through.objects.filter(
        experiencearea_id=request.experience_area_id  # type: ignore[misc]
    ).values_list("expert_id")
    types = Expert.task_types.through.objects.filter(tasktype_id=request.task_type_id).values_list("expert_id")
    pool_sql, pool_params = pool.query.sql_with_params()
    month_sql, month_params = month.query.sql_with_params()
    types_sql, types_params = types.query.sql_with_params()
    if request.experience_area_id:
        areas_sql, areas_params = areas.query.sql_with_params()
        area_score = f"CASE WHEN pool.id IN ({areas_sql}) THEN {WEIGHT_AREA} ELSE 0 END"
    else:
        areas_params, area_score = (), "0"
    sql = (
        f"WITH pool (id, last_offered_at, region_match) AS ({pool_sql}), "  # noqa: S608 (ORM-built parts)
        f"month (expert_id, n) AS ({month_sql}) "
        "SELECT pool.id FROM pool LEFT JOIN month ON month.expert_id = pool.id "
        f"ORDER BY ({area_score} "
        f"+ CASE WHEN pool.region_match = 1 THEN {WEIGHT_REGION} ELSE 0 END "
        f"+ CASE WHEN pool.id IN ({types_sql}) THEN {WEIGHT_TASK_TYPE} ELSE 0 END "
        f"- COALESCE(month.n, 0) * {WEIGHT_PER_TASK_THIS_MONTH}) DESC, "
        "COALESCE(month.n, 0), pool.last_offered_at NULLS FIRST, pool.id "
        "LIMIT %s"
    )
    params = (*pool_params, *month_params, *areas_params, *types_params, limit)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A ranking query over many rows looks expensive to the planner, which would then
            # spend seconds compiling it (JIT) to save milliseconds; and parallel workers would
            # each build the same sets of ids again. Both off for this query only.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def candidates(request: TaskRequest, *, limit: int = 20) -> list[Expert]:
    """The ranked candidates with their reasons, in two queries (plus the prefetch).

    First the database ranks every eligible expert and returns the ids of the best
    ``limit`` (only the id leaves the database); then those experts are read with the
    ranking annotations for the reasons shown.
    """
    rec = matching_recommendation()
    ids = _ranked_ids(request, rec, limit)
    month_start, month_end = month_bounds(request.starts_at)
    rows = _scored(Expert.objects.filter(pk__in=ids), request, month_start, month_end)
    by_id = {e.pk: e for e in rows.select_related("user").prefetch_related("experience_areas")}
    found: list[Expert] = [by_id[pk] for pk in ids if pk in by_id]
    for expert in found:
        setattr(expert, "reasons", reasons(expert, request, rec))  # noqa: B010 - read with ``annotation``
    return found


def annotation(expert: Expert, name: str, default: T) -> T:
    """A ranking figure (``score``, ``tasks_this_month``) or the ``reasons`` of a candidate."""
    return cast(T, expert.__dict__.get(name, default))


def reasons(expert: Expert, request: TaskRequest, rec: Recommendation) -> list[str]:
    """Why this expert is suggested, in plain words (from the annotations, no queries)."""
    out = []
    if getattr(expert, "area_match", False):
        out.append(_("Has the experience asked for"))
    elif request.experience_area_id:
        out.append(_("Different experience area"))
    out.append(_("Speaks the language of the task"))
    if request.remote:
        out.append(_("Works remotely"))
    elif getattr(expert, "region_match", False):
        out.append(_("Lives in the region"))
    else:
        out.append(_("Works on site, another region"))
    if getattr(expert, "type_match", False):
        out.append(_("Wants this kind of task"))
    out.append(_("Available and not paused"))
    if rec.name:
        out.append(_("Training meets the recommendation (%(name)s)") % {"name": rec.name})
    n = getattr(expert, "tasks_this_month", 0)
    out.append(_("%(count)d tasks this month") % {"count": n})
    if expert.last_offered_at is None:
        out.append(_("Not offered work before"))
    else:
        days = (timezone.now() - expert.last_offered_at).days
        out.append(_("Last offered work %(days)d days ago") % {"days": days})
    return out


@dataclass(frozen=True)
class Row:
    """One candidate in the ranked table: the reasons that set them apart from the others
    shown, their workload and last offer, and every reason for the details."""

    expert: Expert
    rank: int
    score: int
    differs: list[str]
    tasks_this_month: int
    last_offered_days: int | None
    reasons: list[str]


def ranked_table(found: list[Expert]) -> list[Row]:
    """The candidates as rows of a compact table. A reason every candidate shares (speaks the
    language, available, trained) says nothing about the choice, so only the differing
    reasons are in the row; workload and the last offer have their own columns."""
    reasons_of: list[list[str]] = [list(annotation(e, "reasons", [])) for e in found]
    shared = set.intersection(*(set(r) for r in reasons_of)) if len(reasons_of) > 1 else set()
    now = timezone.now()
    rows = []
    for rank, (expert, all_reasons) in enumerate(zip(found, reasons_of, strict=True), start=1):
        n = int(annotation(expert, "tasks_this_month", 0))
        workload = {
            _("%(count)d tasks this month") % {"count": n},
            _("Not offered work before"),
        }
        last = expert.last_offered_at
        days = (now - last).days if last is not None else None
        if days is not None:
            workload.add(_("Last offered work %(days)d days ago") % {"days": days})
        rows.append(
            Row(
                expert=expert,
                rank=rank,
                score=int(annotation(expert, "score", 0)),
                differs=[r for r in all_reasons if r not in shared and r not in workload],
                tasks_this_month=n,
                last_offered_days=days,
                reasons=all_reasons,
            )
        )
    return rows
