"""Wellbeing signals for the coordinator: gentle prompts to talk, never sanctions.

The signals are computed in the database for every active expert (``wellbeing_queryset``), so
the list is searched, filtered, sorted and paged in SQL and costs the same few queries for 30
or 3,000 experts; the own-story run and the prompts are then read for the rows shown only
(``wellbeing_signals``). The same figures feed the coordinator's work queues."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DateTimeField,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from osallisuus.core.collation import finnish, search_filter

from ..models import Agreement, CheckIn, Expert, SupportSession
from .lists import experts_of

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

ZERO = Decimal("0")

MANY_TASKS_A_MONTH = 6
"""A workload signal: this many tasks in the calendar month or more."""
SUPERVISION_GAP_DAYS = 60
"""No supervision (työnohjaus) for longer than this is worth a talk."""
SILENCE_DAYS = 120
STORY_RUN = 3
COPING_HARD = 2

SIGNAL_FILTERS = ("many_tasks", "no_supervision", "silence", "coping", "contact", "any")
_SIGNAL_FLAGS = {
    "many_tasks": "many_tasks",
    "no_supervision": "no_supervision",
    "silence": "silence",
    "coping": "coping_hard",
    "contact": "wants_contact",
}

WELLBEING_SORTS: dict[str, Any] = {
    # The name breaks ties in Finnish order whichever way the signals are sorted.
    "attention": ("attention", finnish("user__full_name").asc(), "pk"),
    "name": (finnish("user__full_name"), "pk"),
    "tasks": ("tasks_month", finnish("user__full_name").asc(), "pk"),
    # Days since supervision: the most recent first; never supervised counts as the longest.
    "supervision": ("-supervised_or_never", finnish("user__full_name").asc(), "pk"),
}


@dataclass
class Signals:
    expert: Expert
    tasks_month: int = 0
    hours_month: Decimal = ZERO
    story_run: int = 0
    days_since_supervision: int | None = None
    days_since_task: int | None = None
    coping: int | None = None
    wants_contact: bool = False
    prompts: list[str] = field(default_factory=list)


def _month_bounds(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime(today.year, today.month, 1, tzinfo=tz)
    nxt = (start + dt.timedelta(days=32)).replace(day=1)
    return start, nxt


def wellbeing_queryset(*, actor: User, today: dt.date | None = None) -> QuerySet[Expert]:
    """The actor's active experts with their signals as annotations: ``tasks_month``,
    ``minutes_month``, ``last_task``, ``last_supervision``, ``coping``, ``wants_contact``
    and ``attention`` (how many of the database-side prompts apply)."""
    today = today or timezone.localdate()
    month_start, month_end = _month_bounds(today)
    binding = Agreement.objects.binding().filter(expert_id=OuterRef("pk")).order_by().values("expert_id")
    in_month = binding.filter(starts_at__gte=month_start, starts_at__lt=month_end)
    supervision = SupportSession.objects.filter(
        attendees=OuterRef("pk"), kind=SupportSession.Kind.SUPERVISION
    ).order_by("-held_on")
    checkin = CheckIn.objects.filter(expert_id=OuterRef("pk")).order_by("-created_at", "-pk")
    supervision_since = today - dt.timedelta(days=SUPERVISION_GAP_DAYS)
    silence_since = timezone.now() - dt.timedelta(days=SILENCE_DAYS)
    qs = (
        experts_of(actor=actor)
        .filter(status=Expert.Status.ACTIVE)
        .annotate(
            tasks_month=Coalesce(Subquery(in_month.annotate(n=Count("pk")).values("n")[:1]), 0),
            minutes_month=Coalesce(Subquery(in_month.annotate(m=Sum("request__duration_minutes")).values("m")[:1]), 0),
            # The newest start first through agreement_expert_idx (expert_id, starts_at): one
            # index probe per expert, where a MAX over a GROUP BY would scan the agreements.
            last_task=Subquery(
                Agreement.objects.binding()
                .filter(expert_id=OuterRef("pk"))
                .order_by("-starts_at")
                .values("starts_at")[:1],
                output_field=DateTimeField(),
            ),
            last_supervision=Subquery(supervision.values("held_on")[:1], output_field=DateField()),
            coping=Subquery(checkin.values("coping")[:1], output_field=IntegerField()),
            wants_contact=Coalesce(
                Subquery(checkin.values("wants_contact")[:1], output_field=BooleanField()), Value(False)
            ),
        )
        .annotate(
            many_tasks=_flag(Q(tasks_month__gte=MANY_TASKS_A_MONTH)),
            no_supervision=_flag(Q(last_supervision__isnull=True) | Q(last_supervision__lt=supervision_since)),
            silence=_flag(Q(last_task__lt=silence_since)),
            coping_hard=_flag(Q(coping__lte=COPING_HARD)),
            supervised_or_never=Coalesce("last_supervision", Value(dt.date(1900, 1, 1)), output_field=DateField()),
        )
    )
    flags = ("many_tasks", "no_supervision", "silence", "coping_hard", "wants_contact")
    attention: Any = Value(0)
    for flag in flags:
        attention = attention + Coalesce(_as_int(flag), 0)
    return qs.annotate(attention=attention)


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _as_int(flag: str) -> Any:
    return Case(When(**{flag: True}, then=Value(1)), default=Value(0), output_field=IntegerField())


def wellbeing_search(
    *, actor: User, query: str = "", signal: str = "", today: dt.date | None = None
) -> QuerySet[Expert]:
    """The wellbeing list searched by name or region and filtered by one signal."""
    qs = wellbeing_queryset(actor=actor, today=today)
    if query:
        qs = qs.filter(search_filter(query, ["user__full_name", "region"]))
    if signal == "any":
        qs = qs.filter(**{"attention__gt": 0})
    elif signal in _SIGNAL_FLAGS:
        qs = qs.filter(**{_SIGNAL_FLAGS[signal]: True})
    return qs


def workload_signal_count(*, actor: User) -> int:
    """How many of the actor's active experts have many tasks this month (a work queue)."""
    return wellbeing_search(actor=actor, signal="many_tasks").count()


def no_supervision_count(*, actor: User) -> int:
    """How many of the actor's active experts have had no supervision in 60 days (a work queue)."""
    return wellbeing_search(actor=actor, signal="no_supervision").count()


def wellbeing_signals(
    *, actor: User, today: dt.date | None = None, experts: list[Expert] | None = None
) -> list[Signals]:
    """The signals and prompts of the experts shown (``experts`` from ``wellbeing_queryset``,
    a page of it); without ``experts``, of every active expert (for small organisations and
    tests). One query for the own-story runs of the rows shown."""
    today = today or timezone.localdate()
    if experts is None:
        experts = list(wellbeing_queryset(actor=actor, today=today).order_by("-attention", finnish("user__full_name")))
    ids = [e.pk for e in experts]
    recent: dict[int, list[str]] = {}
    now = timezone.now()
    if ids:
        for expert_id, code in (
            Agreement.objects.binding()
            .filter(expert_id__in=ids, starts_at__lte=now, starts_at__gte=now - dt.timedelta(days=365))
            .order_by("expert_id", "-starts_at")
            .values_list("expert_id", "request__task_type__code")
        ):
            recent.setdefault(expert_id, []).append(code)
    out = []
    for expert in experts:
        s = Signals(expert=expert)
        s.tasks_month = int(getattr(expert, "tasks_month", 0) or 0)
        s.hours_month = (Decimal(int(getattr(expert, "minutes_month", 0) or 0)) / 60).quantize(Decimal("0.1"))
        run = 0
        for code in recent.get(expert.pk, [])[:10]:
            if code != "story":
                break
            run += 1
        s.story_run = run
        last_supervision = getattr(expert, "last_supervision", None)
        if last_supervision is not None:
            s.days_since_supervision = (today - last_supervision).days
        last_task = getattr(expert, "last_task", None)
        if last_task is not None:
            s.days_since_task = max(0, (now - last_task).days)
        s.coping = getattr(expert, "coping", None)
        s.wants_contact = bool(getattr(expert, "wants_contact", False))
        if getattr(expert, "many_tasks", False):
            s.prompts.append(_("Many tasks this month"))
        if s.story_run >= STORY_RUN:
            s.prompts.append(_("Several own-story tasks in a row"))
        if getattr(expert, "no_supervision", False):
            s.prompts.append(_("No supervision for a long time"))
        if getattr(expert, "silence", False):
            s.prompts.append(_("A long silence"))
        if getattr(expert, "coping_hard", False):
            s.prompts.append(_("Said coping is hard"))
        if s.wants_contact:
            s.prompts.append(_("Asked to be contacted"))
        out.append(s)
    return out


__all__ = [
    "SIGNAL_FILTERS",
    "WELLBEING_SORTS",
    "Signals",
    "no_supervision_count",
    "wellbeing_queryset",
    "wellbeing_search",
    "wellbeing_signals",
    "workload_signal_count",
]
