"""Agreed tasks: cancel, move, confirm, feedback after the task, and the day-before reminder.
When an agreement ends (done, no-show, cancelled) its placement relationship ends with it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.core import events, formatting
from osallisuus.core.notifications import notify
from osallisuus.measurement import selectors as measurement_selectors
from osallisuus.measurement import services as measurement

from .. import fees, notices
from ..errors import ExpertsError, FeedbackNotYours, refuse_unless
from ..feedback import FEEDBACK_INSTRUMENTS, FEEDBACK_MODULE, feedback_ref
from ..models import Agreement, Expert, TaskRequest
from ..permissions import (
    can_cancel_agreement,
    can_confirm_agreement,
    can_give_feedback,
    can_reschedule_agreement,
    feedback_side,
    order_orgs,
)
from ._common import coordinators_of, lock_agreement
from .offers import overlapping_agreement
from .placements import placement_end

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

RESCHEDULE_HORIZON = dt.timedelta(days=731)


@transaction.atomic
def agreement_cancel(
    *, actor: User, agreement: Agreement, reason: str = "", now: dt.datetime | None = None
) -> Agreement:
    """Cancel an agreed task (the expert, the orderer or the coordinator). Whether the fee stays
    due is the cancellation-fee rule (``fees.fee_due``)."""
    now = now or timezone.now()
    agreement = lock_agreement(actor, agreement)
    request = agreement.request
    refuse_unless(can_cancel_agreement(actor, agreement))
    by_expert = agreement.expert.user_id == actor.pk
    agreement.fee_due = fees.agreement_fee_due(agreement, outcome=fees.CANCELLED, at=now, cancelled_by_expert=by_expert)
    agreement.status = Agreement.Status.CANCELLED
    agreement.cancelled_at = now
    agreement.cancel_reason = reason.strip()[:300]
    agreement.save()
    if request.status == TaskRequest.Status.FILLED and request.starts_at > now and by_expert:
        # The expert withdrew in time: the place is open again for the coordinator to offer.
        TaskRequest.objects.filter(pk=request.pk).update(status=TaskRequest.Status.OPEN)
    elif (
        request.organisation_id in order_orgs(actor)
        and not request.agreements.filter(status=Agreement.Status.ACTIVE).exists()
    ):
        # The orderer called the task off.
        TaskRequest.objects.filter(pk=request.pk).update(status=TaskRequest.Status.CANCELLED)
    placement_end(agreement=agreement, actor=actor)
    events.record(
        actor=actor,
        verb="experts.agreement.cancelled",
        target=agreement,
        subject=agreement.expert.user,
        data={"fee_due": agreement.fee_due},
    )
    url = reverse("experts:agreement_detail", args=[agreement.pk])
    for person in {agreement.expert.user, request.created_by, *coordinators_of(request.broker_id)} - {actor}:
        notify(
            user=person,
            kind=notices.TASK_CANCELLED,
            message=_("A task was cancelled: %(title)s"),
            params={"title": request.title},
            url=url,
        )
    return agreement


@transaction.atomic
def agreement_reschedule(*, actor: User, agreement: Agreement, starts_at: dt.datetime) -> Agreement:
    """Move a task by agreement: same terms, new time, and still nobody double-booked."""
    agreement = lock_agreement(actor, agreement)
    request = TaskRequest.objects.select_for_update().get(pk=agreement.request_id)
    refuse_unless(can_reschedule_agreement(actor, agreement))
    if starts_at <= timezone.now():
        raise ExpertsError(_("The task must start in the future."), field="starts_at")
    if starts_at > timezone.now() + RESCHEDULE_HORIZON:
        raise ExpertsError(_("A task can be moved at most two years ahead."), field="starts_at")
    list(Expert.objects.select_for_update().filter(user_id=agreement.expert.user_id).values_list("pk", flat=True))
    request.starts_at = starts_at
    clash = overlapping_agreement(user_id=agreement.expert.user_id, request=request)
    if clash is not None and clash.pk != agreement.pk:
        raise ExpertsError(
            _("The expert already has a task at that time: %(title)s.") % {"title": clash.request.title},
            field="starts_at",
        )
    request.save(update_fields=["starts_at", "updated_at"])
    length = agreement.ends_at - agreement.starts_at
    agreement.starts_at = starts_at
    agreement.ends_at = starts_at + length
    agreement.reminder_sent_at = None
    agreement.save()
    events.record(actor=actor, verb="experts.agreement.rescheduled", target=agreement, subject=agreement.expert.user)
    notify(
        user=agreement.expert.user,
        kind=notices.TASK_MOVED,
        message=_("A task was moved: %(title)s, now %(when)s."),
        params={"title": request.title, "when": lambda: formatting.datetime(starts_at)},
        url=reverse("experts:agreement_detail", args=[agreement.pk]),
    )
    return agreement


@transaction.atomic
def agreement_confirm(*, actor: User, agreement: Agreement, took_place: bool) -> Agreement:
    """The orderer confirms whether the task took place; the fee follows the cancellation-fee
    rule (``fees.fee_due``: a no-show keeps it due when the schedule says so)."""
    agreement = lock_agreement(actor, agreement)
    now = timezone.now()
    refuse_unless(can_confirm_agreement(actor, agreement, now=now))
    outcome = fees.DONE if took_place else fees.NO_SHOW
    agreement.status = Agreement.Status.DONE if took_place else Agreement.Status.NO_SHOW
    agreement.fee_due = fees.agreement_fee_due(agreement, outcome=outcome, at=now)
    agreement.confirmed_at = now
    agreement.save()
    request = agreement.request
    if not request.agreements.filter(status=Agreement.Status.ACTIVE).exists():
        request.status = TaskRequest.Status.DONE
        request.save(update_fields=["status", "updated_at"])
    placement_end(agreement=agreement, actor=actor)
    events.record(
        actor=actor,
        verb="experts.agreement.confirmed",
        target=agreement,
        subject=agreement.expert.user,
        data={"took_place": took_place},
    )
    notify(
        user=agreement.expert.user,
        kind=notices.TASK_CONFIRMED,
        message=_("The task was confirmed. You can now report your expenses."),
        url=reverse("experts:expenses", args=[agreement.pk]),
    )
    return agreement


@transaction.atomic
def feedback_start(*, actor: User, agreement: Agreement) -> Any:
    """Start (or continue) the actor's feedback on a task through the measurement engine.

    Only the expert and the orderer give feedback, and only after the task. The answers are
    the respondent's own; the brokering organisation sees them only as group figures with
    small groups hidden. Returns the measurement response to send the person to."""
    agreement = lock_agreement(actor, agreement)
    refuse_unless(can_give_feedback(actor, agreement), forbidden=FeedbackNotYours)
    side = feedback_side(actor, agreement)
    assert side is not None  # can_give_feedback refuses everyone else
    given = measurement_selectors.responses_for_context(
        respondent=actor, context_module=FEEDBACK_MODULE, context_ref=feedback_ref(agreement)
    )
    if any(r.status == "submitted" for r in given):
        raise ExpertsError(_("You have already given feedback on this task."))
    try:
        return measurement.response_start(
            instrument_code=FEEDBACK_INSTRUMENTS[side],
            respondent=actor,
            context_module=FEEDBACK_MODULE,
            context_ref=feedback_ref(agreement),
            organisation=agreement.request.broker,
        )
    except measurement.MeasurementError as exc:
        raise ExpertsError(exc.message) from exc


def _when(starts_at: dt.datetime, now: dt.datetime) -> str:
    """When the task starts, in the active language: "huomenna klo 10.00", "i morgon kl. 10.00"."""
    day = timezone.localtime(starts_at).date()
    today = timezone.localtime(now).date()
    if day == today:
        return str(_("today %(time)s") % {"time": formatting.time(starts_at)})
    if day == today + dt.timedelta(days=1):
        return str(_("tomorrow %(time)s") % {"time": formatting.time(starts_at)})
    return formatting.datetime(starts_at)


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """The day-before reminder for the expert, the orderer and the lähityöntekijä."""
    now = now or timezone.now()
    due = Agreement.objects.filter(
        status=Agreement.Status.ACTIVE,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(hours=24),
    ).select_related("request__created_by", "request__partner_worker", "expert__user")
    count = 0
    for agreement in due:
        with transaction.atomic():
            # Claim the reminder first: a second run at the same moment finds it taken.
            unsent = Agreement.objects.filter(pk=agreement.pk, reminder_sent_at__isnull=True)
            if not unsent.update(reminder_sent_at=now):
                continue
            request = agreement.request
            people = [agreement.expert.user, request.created_by]
            if request.partner_worker is not None:
                people.append(request.partner_worker)
            starts = agreement.starts_at
            params = {
                "title": request.title,
                "when": lambda starts=starts: _when(starts, now),
                "place": lambda request=request: str(_("remote")) if request.remote else request.address,
            }
            for person in people:
                notify(
                    user=person,
                    kind=notices.REMINDER,
                    subject=_("Reminder: %(title)s %(when)s"),
                    message=_("Reminder: %(title)s %(when)s (%(place)s)."),
                    params=params,
                    url=reverse("experts:agreement_detail", args=[agreement.pk]),
                )
            count += 1
    return count
