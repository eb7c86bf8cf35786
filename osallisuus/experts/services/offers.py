"""Offers: the coordinator offers a task to suitable experts; an expert accepts (an agreement
with the terms in force on the task date) or declines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.core import events, formatting
from osallisuus.core.notifications import notify

from .. import fees, notices, training
from ..errors import ExpertsError, refuse_unless
from ..models import Agreement, Expert, FeeItem, Offer, TaskRequest
from ..permissions import can_answer_offer, can_offer_request
from ._common import coordinators_of
from .placements import placement_start

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


def _occurrences(start: dt.datetime, minutes: int, sessions: int) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(start + dt.timedelta(weeks=i), start + dt.timedelta(weeks=i, minutes=minutes)) for i in range(sessions)]


def overlapping_agreement(*, user_id: int, request: TaskRequest) -> Agreement | None:
    """A binding agreement of the same person whose time overlaps any session of the request."""
    wanted = _occurrences(request.starts_at, request.duration_minutes, request.sessions)
    first, last_end = wanted[0][0], wanted[-1][1]
    nearby = (
        Agreement.objects.binding()
        .filter(expert__user_id=user_id, starts_at__lt=last_end, starts_at__gte=first - dt.timedelta(weeks=53))
        .exclude(request_id=request.pk)
        .select_related("request")
    )
    for agreement in nearby:
        length = int((agreement.ends_at - agreement.starts_at).total_seconds() // 60)
        for s1, e1 in _occurrences(agreement.starts_at, length, agreement.request.sessions):
            if any(s1 < e2 and s2 < e1 for s2, e2 in wanted):
                return agreement
    return None


def _refuse_unsuitable(*, expert: Expert, request: TaskRequest, rec: training.Recommendation, day: dt.date) -> None:
    name = expert.user.full_name
    if expert.organisation_id != request.broker_id or expert.status != Expert.Status.ACTIVE:
        raise ExpertsError(_("%(name)s is not an active expert of the brokering organisation.") % {"name": name})
    if expert.paused_until and expert.paused_until >= day:
        raise ExpertsError(
            _("%(name)s has paused until %(date)s.") % {"name": name, "date": formatting.date(expert.paused_until)}
        )
    if not training.meets(expert, rec):
        raise ExpertsError(_("%(name)s's training does not yet meet the recommendation.") % {"name": name})
    if overlapping_agreement(user_id=expert.user_id, request=request):
        raise ExpertsError(_("%(name)s already has a task at that time.") % {"name": name})
    if Offer.objects.filter(request=request, expert=expert).exists():
        raise ExpertsError(_("%(name)s has already been offered this task.") % {"name": name})


@transaction.atomic
def offer_make(*, actor: User, request: TaskRequest, experts: Iterable[Expert]) -> list[Offer]:
    request = TaskRequest.objects.select_for_update().get(pk=request.pk)
    refuse_unless(can_offer_request(actor, request))
    rec = training.matching_recommendation()
    day = timezone.localtime(request.starts_at).date()
    experts = list(experts)
    if not experts:
        raise ExpertsError(_("Choose at least one expert."), field="experts")
    made = []
    for expert in experts:
        _refuse_unsuitable(expert=expert, request=request, rec=rec, day=day)
        offer = Offer(request=request, expert=expert, offered_by=actor)
        offer.full_clean()
        offer.save()
        Expert.objects.filter(pk=expert.pk).update(last_offered_at=timezone.now())
        events.record(actor=actor, verb="experts.offer.made", target=offer, subject=expert.user)
        notify(
            user=expert.user,
            kind=notices.NEW_OFFER,
            subject=_("New task offer: %(title)s"),
            message=_("You have a new task offer: %(title)s, %(when)s."),
            params={"title": request.title, "when": lambda: formatting.datetime(request.starts_at)},
            url=reverse("experts:offer_detail", args=[offer.pk]),
        )
        made.append(offer)
    return made


@transaction.atomic
def offer_decline(*, actor: User, offer: Offer, reason: str = "") -> Offer:
    offer = Offer.objects.select_for_update().select_related("request", "expert").get(pk=offer.pk)
    refuse_unless(can_answer_offer(actor, offer))
    offer.status = Offer.Status.DECLINED
    offer.decline_reason = reason.strip()[:300]
    offer.answered_at = timezone.now()
    offer.save()
    events.record(actor=actor, verb="experts.offer.declined", target=offer, subject=actor)
    for coordinator in coordinators_of(offer.request.broker_id):
        notify(
            user=coordinator,
            kind=notices.OFFER_DECLINED,
            message=_("An expert declined: %(title)s"),
            params={"title": offer.request.title},
            url=reverse("experts:request_detail", args=[offer.request_id]),
        )
    return offer


@dataclass(frozen=True)
class Terms:
    schedule: Any
    item: FeeItem | None
    fee: Decimal
    fee_due: bool
    text: str


def terms_for(*, request: TaskRequest, volunteer: bool) -> Terms:
    """The fee and terms from the schedule in force on the task date (raises FeeScheduleGap)."""
    day = timezone.localtime(request.starts_at).date()
    schedule = fees.schedule_in_force(organisation_id=request.broker_id, on=day)
    item = None
    fee = Decimal("0.00")
    paid = request.compensation == TaskRequest.Compensation.FEE and not volunteer
    if request.compensation == TaskRequest.Compensation.FEE:
        item = schedule.items.filter(code=request.fee_item_code).first()
        if item is None:
            raise fees.FeeScheduleGap(
                _("The fee schedule in force on %(date)s has no fee for this task. Ask the coordinator.")
                % {"date": formatting.date(day)}
            )
        try:
            amount = fees.unit_amount(item=item, chosen=request.fee_amount)
        except ValueError as exc:
            raise fees.FeeScheduleGap(
                _("The agreed fee does not fit the schedule in force on %(date)s (%(reason)s) Ask the coordinator.")
                % {"date": formatting.date(day), "reason": exc}
            ) from exc
        if paid:
            fee = fees.fee_for(
                unit=item.unit, amount=amount, duration_minutes=request.duration_minutes, sessions=request.sessions
            )
    lines = fees.terms_lines(
        fee=fee if paid else None,
        travel_per_km=schedule.travel_per_km,
        free_cancellation_hours=schedule.free_cancellation_hours,
        fee_due_on_no_show=schedule.fee_due_on_no_show,
        included_hours=item.included_hours if item is not None else None,
    )
    return Terms(schedule=schedule, item=item, fee=fee, fee_due=paid, text="\n".join(str(line) for line in lines))


def _tell_acceptance(*, request: TaskRequest, agreement: Agreement) -> None:
    url = reverse("experts:agreement_detail", args=[agreement.pk])
    params = {"title": request.title}
    for person in [request.created_by, *coordinators_of(request.broker_id)]:
        notify(
            user=person,
            kind=notices.EXPERT_ACCEPTED,
            message=_("An expert accepted: %(title)s"),
            params=params,
            url=url,
        )
    if request.partner_worker is not None:
        notify(
            user=request.partner_worker,
            kind=notices.YOU_ARE_PARTNER,
            message=_("You are the professional partner for: %(title)s"),
            params=params,
            url=url,
        )


def _close_request(request: TaskRequest) -> None:
    """The last place was taken: the other experts' offers are marked taken, and they are told."""
    request.status = TaskRequest.Status.FILLED
    request.save(update_fields=["status", "updated_at"])
    others = list(request.offers.filter(status=Offer.Status.OFFERED).select_related("expert__user"))
    Offer.objects.filter(pk__in=[o.pk for o in others]).update(status=Offer.Status.TAKEN, answered_at=timezone.now())
    for other in others:
        notify(
            user=other.expert.user,
            kind=notices.TASK_TAKEN,
            message=_("The task has been taken: %(title)s. Thank you."),
            params={"title": request.title},
            url=reverse("experts:offers"),
        )


@transaction.atomic
def offer_accept(*, actor: User, offer: Offer, volunteer: bool = False) -> Agreement:
    """Accept an offer. The request row is locked, then the person's expert rows, so parallel
    acceptances fill the places one at a time and nobody is booked twice for the same time.
    The agreement makes the placement relationship with the professional partner."""
    base = Offer.objects.select_related("expert").get(pk=offer.pk)
    if base.expert.user_id != actor.pk:
        refuse_unless(can_answer_offer(actor, base))  # not theirs: refused before anything is locked
    request = TaskRequest.objects.select_for_update().get(pk=base.request_id)
    list(Expert.objects.select_for_update().filter(user_id=actor.pk).order_by("pk").values_list("pk", flat=True))
    offer = Offer.objects.select_related("expert__user").get(pk=offer.pk)
    if request.status == TaskRequest.Status.FILLED:
        raise ExpertsError(_("Another expert already took this task. Thank you for your interest."))
    refuse_unless(can_answer_offer(actor, offer))
    if request.status != TaskRequest.Status.OPEN:
        raise ExpertsError(_("This request is no longer open."))
    if request.starts_at <= timezone.now():
        raise ExpertsError(_("The task has already started."))
    taken = Agreement.objects.binding().filter(request=request).count()
    if taken >= request.places:
        raise ExpertsError(_("Another expert already took this task. Thank you for your interest."))
    clash = overlapping_agreement(user_id=actor.pk, request=request)
    if clash is not None:
        raise ExpertsError(_("You already have a task at that time: %(title)s.") % {"title": clash.request.title})
    terms = terms_for(request=request, volunteer=volunteer)
    agreement = Agreement(
        request=request,
        offer=offer,
        expert=offer.expert,
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        volunteer=volunteer,
        schedule=terms.schedule,
        fee_item=terms.item,
        fee=terms.fee,
        fee_due=terms.fee_due,
        travel_per_km=terms.schedule.travel_per_km,
        free_cancellation_hours=terms.schedule.free_cancellation_hours,
        fee_due_on_no_show=terms.schedule.fee_due_on_no_show,
        terms=terms.text,
    )
    agreement.full_clean()
    agreement.save()
    offer.status = Offer.Status.ACCEPTED
    offer.answered_at = timezone.now()
    offer.save(update_fields=["status", "answered_at", "updated_at"])
    events.record(
        actor=actor, verb="experts.agreement.created", target=agreement, subject=actor, data={"volunteer": volunteer}
    )
    placement_start(agreement=agreement, actor=actor)
    if taken + 1 >= request.places:
        _close_request(request)
    _tell_acceptance(request=request, agreement=agreement)
    return agreement
