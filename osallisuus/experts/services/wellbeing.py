"""The expert's earnings limits, check-ins, peer events and supervision sessions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osallisuus.core import events
from osallisuus.core.notifications import notify

from .. import notices
from ..errors import ExpertsError, ExpertsForbidden, refuse_unless
from ..models import CheckIn, EarningsLimit, Expert, PeerEvent, SupportSession
from ..permissions import can_check_in, can_record_limits, can_record_support_session, can_sign_up_for_event
from ._common import coordinators_of

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


def _tell_expert_about_limits(*, actor: User, expert: Expert) -> None:
    if actor.pk == expert.user_id:
        return
    # The kind of limit stays out of the message: it can tell about the person's health.
    notify(
        user=expert.user,
        kind=notices.LIMITS_CHANGED,
        message=_("%(name)s changed your earnings limits together with you. You can see them on your own page."),
        params={"name": actor.full_name},
        url=reverse("experts:limits"),
    )


@transaction.atomic
def earnings_limit_add(*, actor: User, expert: Expert, **fields: Any) -> EarningsLimit:
    refuse_unless(can_record_limits(actor, expert))
    limit = EarningsLimit(expert=expert, recorded_by=actor, **fields)
    limit.full_clean()
    limit.save()
    events.record(actor=actor, verb="experts.earnings_limit.added", target=limit, subject=expert.user)
    _tell_expert_about_limits(actor=actor, expert=expert)
    return limit


@transaction.atomic
def earnings_limit_remove(*, actor: User, limit: EarningsLimit) -> None:
    expert = Expert.objects.select_related("user").get(pk=limit.expert_id)
    if not can_record_limits(actor, expert):
        raise ExpertsForbidden(_("Only the expert, or the coordinator together with them, removes limits."))
    events.record(actor=actor, verb="experts.earnings_limit.removed", target=limit, subject=expert.user)
    limit.delete()
    _tell_expert_about_limits(actor=actor, expert=expert)


@transaction.atomic
def checkin_record(*, actor: User, expert: Expert, coping: int, wants_contact: bool) -> CheckIn:
    refuse_unless(can_check_in(actor, expert))
    checkin = CheckIn(expert=expert, coping=coping, wants_contact=wants_contact)
    checkin.full_clean()
    checkin.save()
    if wants_contact:
        for coordinator in coordinators_of(expert.organisation_id):
            notify(
                user=coordinator,
                kind=notices.CONTACT_WISH,
                message=_("An expert would like you to contact them."),
                url=reverse("experts:wellbeing"),
            )
    return checkin


@transaction.atomic
def peer_event_signup(*, actor: User, event: PeerEvent) -> PeerEvent:
    event = PeerEvent.objects.select_for_update().get(pk=event.pk)
    expert = Expert.objects.filter(user=actor, organisation_id=event.organisation_id).first()
    refuse_unless(can_sign_up_for_event(actor, event, expert=expert, taken=event.participants.count()))
    assert expert is not None  # refused above otherwise
    event.participants.add(expert)
    events.record(actor=actor, verb="experts.peer_event.signed_up", target=event, subject=actor)
    return event


@transaction.atomic
def support_session_record(
    *, actor: User, organisation_id: int, kind: str, held_on: dt.date, experts: list[Expert]
) -> SupportSession:
    """Record a supervision or peer-support session and who took part (the coordinator)."""
    refuse_unless(can_record_support_session(actor, organisation_id))
    if any(e.organisation_id != organisation_id for e in experts) or not experts:
        raise ExpertsError(_("Choose the organisation's own experts."), field="attendees")
    session = SupportSession(organisation_id=organisation_id, kind=kind, held_on=held_on)
    session.full_clean()
    session.save()
    session.attendees.set(experts)
    events.record(actor=actor, verb="experts.support_session.recorded", target=session, data={"count": len(experts)})
    return session
