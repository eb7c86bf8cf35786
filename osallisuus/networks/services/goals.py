"""Goals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    Goal,
    GoalChange,
    Meeting,
    Network,
    NetworkMembership,
    Resource,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import User
from .base import NetworkRefusal, _coordinate


# -- goals and resources ---------------------------------------------------------------------------
@transaction.atomic
def goal_create(
    *, actor: User, network: Network, title: str, measure: str = "", owner: NetworkMembership | None = None
) -> Goal:
    _coordinate(actor, network)
    if not title.strip():
        raise NetworkRefusal(_("Write the goal."), field="title", code="required")
    goal = Goal(network=network, title=title.strip(), measure=measure.strip(), owner=owner)
    goal.full_clean()
    goal.save()
    GoalChange.objects.create(goal=goal, status=goal.status, changed_on=timezone.localdate())
    return goal


@transaction.atomic
def goal_set_status(
    *,
    actor: User,
    goal: Goal,
    status: str,
    note: str = "",
    meeting: Meeting | None = None,
    on: dt.date | None = None,
) -> Goal:
    _coordinate(actor, goal.network)
    if status not in Goal.Status.values:
        raise NetworkRefusal(_("Choose a status."), field="status", code="invalid")
    goal.status = status
    goal.save(update_fields=["status", "updated_at"])
    GoalChange.objects.create(
        goal=goal, status=status, note=note.strip()[:300], meeting=meeting, changed_on=on or timezone.localdate()
    )
    return goal


@transaction.atomic
def resource_add(*, actor: User, network: Network, data: dict[str, Any]) -> Resource:
    _coordinate(actor, network)
    cost = data.get("cost")
    if cost is None:
        raise NetworkRefusal(_("Give the cost in euros (0 if it cost nothing)."), field="cost", code="required")
    cost = Decimal(cost)
    if cost < 0:
        raise NetworkRefusal(_("A cost cannot be negative."), field="cost", code="negative")
    hours = data.get("hours")
    if hours is not None and Decimal(hours) < 0:
        raise NetworkRefusal(_("Hours cannot be negative."), field="hours", code="negative")
    resource = Resource(
        network=network,
        kind=data.get("kind") or "",
        organisation=data.get("organisation"),
        description=(data.get("description") or "").strip(),
        hours=hours,
        cost=cost.quantize(Decimal("0.01")),
        spent_on=data["spent_on"],
    )
    resource.full_clean()
    resource.save()
    return resource
