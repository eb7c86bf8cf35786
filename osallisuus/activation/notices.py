"""The notices activation sends, through the platform's notification centre.

Every notice is a registered kind (``register_kinds`` runs in ``AppConfig.ready``), so each person
chooses on their notification settings whether it also comes by e-mail. ``core.notifications``
writes it in the *recipient's* language and e-mails it after the transaction commits, with a full
link. The texts name no one and say nothing from the plan itself: the link opens the page, whose
gate decides and logs the read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts import selectors as accounts
from osallisuus.core import formatting
from osallisuus.core.notifications import Kind, notify, register_kind

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

    from .models import Goal, Meeting, PlanShare, SignUp

MEETING_REQUEST = "activation.meeting_request"
MEETING_TIME = "activation.meeting_time"
MEETING_CANCELLED = "activation.meeting_cancelled"
GOAL_PROPOSED = "activation.goal_proposed"
GOAL_ACCEPTED = "activation.goal_accepted"
PLAN_SHARED = "activation.plan_shared"
WAITING_LIST_PLACE = "activation.waiting_list_place"


def register_kinds() -> None:
    for kind in (
        Kind(MEETING_REQUEST, _("A client asks for a meeting")),
        Kind(MEETING_TIME, _("The time of my meeting has been agreed")),
        Kind(MEETING_CANCELLED, _("A meeting has been cancelled")),
        Kind(GOAL_PROPOSED, _("A goal has been proposed for my plan")),
        Kind(GOAL_ACCEPTED, _("A participant accepts a goal I proposed")),
        Kind(PLAN_SHARED, _("Someone lets me read their plan")),
        Kind(WAITING_LIST_PLACE, _("I get a place from the waiting list")),
    ):
        register_kind(kind)


def meeting_requested(meeting: Meeting) -> None:
    """To the participant's own worker (the deciding official is reached by the own worker)."""
    worker = accounts.own_worker_of(person_id=meeting.plan.participant_id)
    if worker is None or worker.pk == meeting.requested_by_id:
        return
    notify(
        user=worker,
        kind=MEETING_REQUEST,
        subject=_("A client asks for a meeting"),
        message=_("One of your clients has asked for a meeting. Open the request to agree on a time."),
        url=reverse("activation:meeting", args=[meeting.pk]),
    )


def meeting_scheduled(meeting: Meeting, *, actor: User) -> None:
    participant = meeting.plan.participant
    if participant.pk == actor.pk or meeting.starts_at is None:
        return
    starts_at = meeting.starts_at
    notify(
        user=participant,
        kind=MEETING_TIME,
        subject=_("Your meeting: %(when)s"),
        message=_("The time of your meeting has been agreed: %(when)s. You see it in your plan."),
        params={"when": lambda: formatting.datetime(starts_at)},
        url=reverse("activation:meeting", args=[meeting.pk]),
    )


def meeting_cancelled(meeting: Meeting, *, actor: User) -> None:
    """To the other party: the participant, or the own worker when the participant cancels."""
    if meeting.plan.participant_id == actor.pk:
        other = meeting.worker or accounts.own_worker_of(person_id=meeting.plan.participant_id)
    else:
        other = meeting.plan.participant
    if other is None or other.pk == actor.pk:
        return
    notify(
        user=other,
        kind=MEETING_CANCELLED,
        subject=_("A meeting has been cancelled"),
        message=_("A meeting in a plan you follow has been cancelled. Open it to see which one."),
        url=reverse("activation:meeting", args=[meeting.pk]),
    )


def goal_proposed(goal: Goal) -> None:
    notify(
        user=goal.plan.participant,
        kind=GOAL_PROPOSED,
        subject=_("A goal has been proposed for your plan"),
        message=_(
            "Your own worker has proposed a goal for your plan. It becomes part of your plan only if you accept it."
        ),
        url=reverse("activation:goal", args=[goal.pk]),
    )


def goal_accepted(goal: Goal) -> None:
    proposer = goal.expressed_by
    if proposer is None or proposer.pk == goal.plan.participant_id:
        return
    notify(
        user=proposer,
        kind=GOAL_ACCEPTED,
        subject=_("A goal you proposed has been accepted"),
        message=_("A participant has accepted the goal you proposed. It is now part of their plan."),
        url=reverse("activation:goal", args=[goal.pk]),
    )


def plan_shared(share: PlanShare) -> None:
    participant = share.plan.participant
    notify(
        user=share.person,
        kind=PLAN_SHARED,
        subject=_("%(name)s lets you read their plan"),
        message=_("%(name)s has chosen to let you read their plan. You can read it, not change it."),
        params={"name": participant.full_name},
        url=reverse("activation:plan", args=[share.plan_id]),
    )


def waiting_list_place(signup: SignUp) -> None:
    title = signup.activity.title
    notify(
        user=signup.participant,
        kind=WAITING_LIST_PLACE,
        subject=_("You have a place: %(activity)s"),
        message=_("A place became free and it is yours: %(activity)s. You see it in your plan."),
        params={"activity": title},
        url=reverse("activation:activity", args=[signup.activity_id]),
    )
