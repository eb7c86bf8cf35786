"""What waits for each role of the module, counted for the front page's work queues
(``core.navigation.register_queue`` in ``apps.py``): one COUNT query each."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from ..models import Agreement, ExpenseReport, Offer, TaskRequest
from ..permissions import broker_orgs, order_orgs
from .wellbeing import no_supervision_count, workload_signal_count

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

UNANSWERED_DAYS = 3
"""An offer without an answer for this many days waits for the coordinator's nudge."""


def new_requests_count(*, actor: User) -> int:
    return TaskRequest.objects.filter(broker_id__in=broker_orgs(actor), status=TaskRequest.Status.SUBMITTED).count()


def unanswered_offers_count(*, actor: User, now: dt.datetime | None = None) -> int:
    since = (now or timezone.now()) - dt.timedelta(days=UNANSWERED_DAYS)
    return Offer.objects.filter(
        request__broker_id__in=broker_orgs(actor),
        status=Offer.Status.OFFERED,
        created_at__lte=since,
        request__status=TaskRequest.Status.OPEN,
    ).count()


def expenses_to_approve_count(*, actor: User) -> int:
    return ExpenseReport.objects.filter(
        agreement__request__broker_id__in=broker_orgs(actor), status=ExpenseReport.Status.SUBMITTED
    ).count()


def open_offers_count(*, actor: User) -> int:
    return Offer.objects.filter(expert__user=actor, status=Offer.Status.OFFERED).count()


def tasks_this_week_count(*, actor: User, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return Agreement.objects.filter(
        expert__user=actor,
        status=Agreement.Status.ACTIVE,
        starts_at__gte=now,
        starts_at__lt=now + dt.timedelta(days=7),
    ).count()


def next_task_of(*, actor: User, now: dt.datetime | None = None) -> Agreement | None:
    """The expert's next agreed task, for the module's front page."""
    return (
        Agreement.objects.filter(
            expert__user=actor, status=Agreement.Status.ACTIVE, starts_at__gte=now or timezone.now()
        )
        .select_related("request__organisation")
        .order_by("starts_at", "pk")
        .first()
    )


def tasks_to_confirm(*, actor: User, now: dt.datetime | None = None) -> list[Agreement]:
    """The first ten of them, oldest first, for the module's front page."""
    return list(
        Agreement.objects.filter(
            request__organisation_id__in=order_orgs(actor),
            status=Agreement.Status.ACTIVE,
            starts_at__lte=now or timezone.now(),
        )
        .select_related("request", "expert__user")
        .order_by("starts_at", "pk")[:10]
    )


def tasks_to_confirm_count(*, actor: User, now: dt.datetime | None = None) -> int:
    """Agreed tasks of the orderer's organisations that have started and wait for the
    orderer's word on whether they took place (the rule of ``can_confirm_agreement``)."""
    return Agreement.objects.filter(
        request__organisation_id__in=order_orgs(actor),
        status=Agreement.Status.ACTIVE,
        starts_at__lte=now or timezone.now(),
    ).count()


__all__ = [
    "UNANSWERED_DAYS",
    "expenses_to_approve_count",
    "new_requests_count",
    "next_task_of",
    "no_supervision_count",
    "open_offers_count",
    "tasks_this_week_count",
    "tasks_to_confirm",
    "tasks_to_confirm_count",
    "unanswered_offers_count",
    "workload_signal_count",
]
