"""Wellbeing signals for the coordinator: gentle prompts to talk, never sanctions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from osallisuus.core.collation import finnish_key

from ..models import Agreement, CheckIn, Expert, SupportSession
from .lists import experts_of

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

ZERO = Decimal("0")


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


def wellbeing_signals(*, actor: User, today: dt.date | None = None) -> list[Signals]:
    """Gentle prompts to talk, never sanctions. A fixed number of queries for any number of experts."""
    today = today or timezone.localdate()
    month_start = dt.datetime(today.year, today.month, 1, tzinfo=timezone.get_current_timezone())
    experts = list(experts_of(actor=actor).filter(status=Expert.Status.ACTIVE))
    ids = [e.pk for e in experts]
    month = dict.fromkeys(ids, (0, 0))
    for row in (
        Agreement.objects.binding()
        .filter(expert_id__in=ids, starts_at__gte=month_start)
        .values("expert_id")
        .annotate(n=Count("pk"), minutes=Sum("request__duration_minutes"))
    ):
        month[row["expert_id"]] = (row["n"], row["minutes"] or 0)
    last_task = dict(
        Agreement.objects.binding()
        .filter(expert_id__in=ids)
        .values("expert_id")
        .annotate(last=Max("starts_at"))
        .values_list("expert_id", "last")
    )
    last_supervision = dict(
        SupportSession.objects.filter(attendees__in=ids, kind=SupportSession.Kind.SUPERVISION)
        .values("attendees")
        .annotate(last=Max("held_on"))
        .values_list("attendees", "last")
    )
    recent: dict[int, list[str]] = {}
    for expert_id, code in (
        Agreement.objects.binding()
        .filter(
            expert_id__in=ids, starts_at__lte=timezone.now(), starts_at__gte=timezone.now() - dt.timedelta(days=365)
        )
        .order_by("expert_id", "-starts_at")
        .values_list("expert_id", "request__task_type__code")
    ):
        recent.setdefault(expert_id, []).append(code)
    checkins: dict[int, CheckIn] = {}
    for checkin in CheckIn.objects.filter(expert_id__in=ids).order_by("expert_id", "-created_at"):
        checkins.setdefault(checkin.expert_id, checkin)
    out = []
    for expert in experts:
        s = Signals(expert=expert)
        s.tasks_month, minutes = month[expert.pk]
        s.hours_month = (Decimal(minutes) / 60).quantize(Decimal("0.1"))
        run = 0
        for code in recent.get(expert.pk, [])[:10]:
            if code != "story":
                break
            run += 1
        s.story_run = run
        if expert.pk in last_supervision:
            s.days_since_supervision = (today - last_supervision[expert.pk]).days
        if expert.pk in last_task:
            s.days_since_task = (timezone.now() - last_task[expert.pk]).days
        if expert.pk in checkins:
            s.coping = checkins[expert.pk].coping
            s.wants_contact = checkins[expert.pk].wants_contact
        if s.tasks_month >= 6:
            s.prompts.append(_("Many tasks this month"))
        if s.story_run >= 3:
            s.prompts.append(_("Several own-story tasks in a row"))
        if s.days_since_supervision is None or s.days_since_supervision > 90:
            s.prompts.append(_("No supervision for a long time"))
        if s.days_since_task is not None and s.days_since_task > 120:
            s.prompts.append(_("A long silence"))
        if s.coping is not None and s.coping <= 2:
            s.prompts.append(_("Said coping is hard"))
        if s.wants_contact:
            s.prompts.append(_("Asked to be contacted"))
        out.append(s)
    out.sort(key=lambda s: (-len(s.prompts), finnish_key(s.expert.user.full_name)))
    return out
