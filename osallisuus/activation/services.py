"""Writes of the activation module. Every function checks its rules (``permissions``), saves,
records a change event (``activation.<entity>.<verb>``) and sends its notices (``notices``).

A refusal raises ``RuleError`` (a ``core.errors.Refusal``: 400) with a message in the user's
language and, when it is about one field, the field's name, so the page can put the message
beside the field and the API answers ``{"detail", "field", "code"}``. A clash with the current
state (a full activity, a double sign-up) is a ``RuleConflict`` (409).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osallisuus.accounts import selectors as accounts
from osallisuus.accounts.permissions import Decision
from osallisuus.core import events
from osallisuus.core.errors import Conflict, Refusal
from osallisuus.measurement import services as measurement

from . import notices, permissions
from .models import (
    CHECKIN_INSTRUMENT,
    CHECKIN_MODULE,
    GOAL_VERSIONED_FIELDS,
    Activity,
    ActivityPerson,
    Attendance,
    Basket,
    Goal,
    GoalVersion,
    Meeting,
    Outcome,
    Plan,
    PlanShare,
    ProgressNote,
    SignUp,
)
from .permissions import P

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User


class RuleError(Refusal):
    """A rule of the plan said no; the message is shown as it is (``core.errors.Refusal``)."""


class RuleConflict(RuleError, Conflict):
    """The request clashes with the current state (a full activity, a double sign-up): 409."""


def _allowed(decision: Decision, *, field: str | None = None, code: str = "") -> None:
    """Refuse with the predicate's own reason, so the page, the API and the service say the same."""
    if not decision:
        raise RuleError(str(decision.reason), field=field, code=code)


def _clean(obj: models.Model) -> None:
    """``full_clean`` whose first complaint becomes a refusal beside its field."""
    try:
        obj.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise RuleError(messages[0], field=None if field == "__all__" else field) from error


PLAN_SECTIONS = (
    "about_me",
    "what_matters",
    "strengths",
    "support",
    "next_step",
    "next_step_on",
    "official_name",
    "official_title",
    "official_phone",
    "official_email",
    "official_hours",
)


# -- plan ------------------------------------------------------------------------------------
def plan_ensure(*, participant: User, organisation: Organisation | int | str | None = None) -> Plan:
    """The participant's one plan; made the first time it is needed. It never ends by itself.

    The plan is kept by the organisation the participant has a plan in
    (``accounts.selectors.acting_organisation``): one fits → that one; several → the participant
    chooses (``organisation``), otherwise a refusal with ``field="organisation"``.
    """
    plan = Plan.objects.filter(participant=participant).first()
    if plan is not None:
        return plan
    keeper = accounts.acting_organisation(user=participant, permission=P.HAVE_PLAN, chosen=organisation)
    try:
        with transaction.atomic():
            plan = Plan.objects.create(participant=participant, organisation=keeper)
    except IntegrityError:  # made at the same moment by another request
        return Plan.objects.get(participant=participant)
    events.record(actor=participant, verb="activation.plan.created", target=plan, subject=participant)
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, actor: User, data: dict[str, Any]) -> Plan:
    # Compare with the stored row (a bound ModelForm may already have changed the instance).
    plan = Plan.objects.select_for_update().select_related("participant").get(pk=plan.pk)
    _allowed(permissions.can_edit_plan(actor, plan))
    changed = []
    for name in PLAN_SECTIONS:
        if name in data and getattr(plan, name) != data[name]:
            setattr(plan, name, data[name])
            changed.append(name)
    if "status" in data and data["status"] != plan.status:
        plan.status = data["status"]
        changed.append("status")
    if not changed:
        return plan
    _clean(plan)
    plan.save()
    events.record(
        actor=actor, verb="activation.plan.updated", target=plan, subject=plan.participant, data={"fields": changed}
    )
    return plan


@transaction.atomic
def plan_share(*, plan: Plan, actor: User, email: str) -> PlanShare | None:
    """Show the plan to a person the participant chooses. Only the participant can share.

    Returns ``None`` when no active account has that address; the page says the same in
    both cases so that nobody can find out who uses the service.
    """
    _allowed(permissions.can_share_plan(actor, plan))
    person = accounts.user_by_email(email=email)
    if person is None or not person.is_active or person.pk == plan.participant_id:
        return None
    existing = plan.shares.filter(person=person, revoked_at__isnull=True).first()
    if existing is not None:
        return existing
    share = PlanShare.objects.create(plan=plan, person=person)
    events.record(actor=actor, verb="activation.plan_share.created", target=share, subject=plan.participant)
    notices.plan_shared(share)
    return share


def plan_share_revoke(*, share: PlanShare, actor: User) -> PlanShare:
    _allowed(permissions.can_share_plan(actor, share.plan))
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at", "updated_at"])
        events.record(actor=actor, verb="activation.plan_share.stopped", target=share, subject=share.plan.participant)
    return share


# -- check-in (the measurement engine's plan-checkin questionnaire) ------------------------------
def checkin_start(*, plan: Plan, actor: User) -> Any:
    """Start (or continue) the participant's check-in on their own plan, through the measurement
    engine's service API. Calling it again before sending returns the same unfinished check-in.
    The answers are the participant's own; their own worker sees them only if shared."""
    _allowed(permissions.can_start_checkin(actor, plan))
    try:
        return measurement.response_start(
            instrument_code=CHECKIN_INSTRUMENT,
            respondent=actor,
            context_module=CHECKIN_MODULE,
            context_ref=plan.checkin_ref,
            organisation=plan.organisation,
        )
    except measurement.MeasurementError as exc:
        raise RuleError(exc.message) from exc


# -- goals -----------------------------------------------------------------------------------
def _check_goal_dates(*, start_on: dt.date, target_on: dt.date | None, review_on: dt.date | None) -> None:
    if target_on is not None and target_on < start_on:
        raise RuleError(
            _("The date you hope to reach the goal is before the goal started. Choose a later date."),
            field="target_on",
        )
    if review_on is not None and review_on < start_on:
        raise RuleError(
            _("The date to look at the goal together is before the goal started. Choose a later date."),
            field="review_on",
        )


def _snapshot(goal: Goal, *, actor: User, reason: str = "") -> GoalVersion:
    version = GoalVersion(
        goal=goal,
        number=goal.version,
        changed_by=actor,
        changed_at=timezone.now(),
        reason=reason[:300],
        **{name: getattr(goal, name) for name in GOAL_VERSIONED_FIELDS},
    )
    version.save()
    return version


@transaction.atomic
def goal_create(
    *,
    plan: Plan,
    actor: User,
    title: str,
    basket: str,
    description: str = "",
    target_on: dt.date | None = None,
    review_on: dt.date | None = None,
) -> Goal:
    """A goal in the participant's own words. A goal the worker writes is a proposal until
    the participant accepts it."""
    _allowed(permissions.can_edit_plan(actor, plan))
    if basket not in Basket.values:
        raise RuleError(_("Choose which area of life the goal belongs to."), field="basket")
    if not title.strip():
        raise RuleError(_("Write your goal in your own words."), field="title")
    start_on = timezone.localdate()
    _check_goal_dates(start_on=start_on, target_on=target_on, review_on=review_on)
    by_participant = actor.pk == plan.participant_id
    goal = Goal(
        plan=plan,
        title=title.strip(),
        description=description.strip(),
        basket=basket,
        lifecycle_status=Goal.Lifecycle.ACTIVE if by_participant else Goal.Lifecycle.PROPOSED,
        expressed_by=actor,
        start_on=start_on,
        target_on=target_on,
        review_on=review_on,
        version=1,
    )
    _clean(goal)
    goal.save()
    _snapshot(goal, actor=actor, reason=_("Goal written") if by_participant else _("Goal proposed by the own worker"))
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    events.record(actor=actor, verb="activation.goal.created", target=goal, subject=plan.participant)
    if not by_participant:
        notices.goal_proposed(goal)
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, actor: User, reason: str = "", **changes: Any) -> Goal:
    """Change a goal. The earlier version stays in the history; every change makes a new version."""
    goal = Goal.objects.select_for_update().select_related("plan", "plan__participant").get(pk=goal.pk)
    unknown = set(changes) - set(GOAL_VERSIONED_FIELDS)
    if unknown:
        raise ValueError(f"Not a goal field: {sorted(unknown)}")
    _allowed(permissions.can_edit_plan(actor, goal.plan))
    if "lifecycle_status" in changes and changes["lifecycle_status"] != goal.lifecycle_status:
        _allowed(permissions.can_set_goal_status(actor, goal), field="lifecycle_status")
    if "basket" in changes and changes["basket"] not in Basket.values:
        raise RuleError(_("Choose which area of life the goal belongs to."), field="basket")
    if "title" in changes and not str(changes["title"]).strip():
        raise RuleError(_("Write your goal in your own words."), field="title")
    _check_goal_dates(
        start_on=goal.start_on,
        target_on=changes.get("target_on", goal.target_on),
        review_on=changes.get("review_on", goal.review_on),
    )
    changed = [name for name, value in changes.items() if getattr(goal, name) != value]
    if not changed:
        return goal
    accepted = goal.is_proposal and changes.get("lifecycle_status", goal.lifecycle_status) != Goal.Lifecycle.PROPOSED
    for name in changed:
        setattr(goal, name, changes[name])
    if goal.achievement_status == Goal.Achievement.ACHIEVED and goal.lifecycle_status == Goal.Lifecycle.ACTIVE:
        goal.lifecycle_status = Goal.Lifecycle.COMPLETED
    goal.version += 1
    _clean(goal)
    goal.save()
    _snapshot(goal, actor=actor, reason=reason)
    Plan.objects.filter(pk=goal.plan_id).update(updated_at=timezone.now())
    events.record(
        actor=actor,
        verb="activation.goal.updated",
        target=goal,
        subject=goal.plan.participant,
        data={"fields": changed, "version": goal.version},
    )
    if accepted:  # the participant took the proposal on (accepting it, or saving it changed)
        notices.goal_accepted(goal)
    return goal


def goal_accept(*, goal: Goal, actor: User) -> Goal:
    """The participant accepts a goal their worker proposed; it becomes theirs."""
    _allowed(permissions.can_accept_goal(actor, goal))
    return goal_update(
        goal=goal, actor=actor, reason=_("Accepted by the participant"), lifecycle_status=Goal.Lifecycle.ACTIVE
    )


def goal_note_add(*, goal: Goal, actor: User, text: str) -> ProgressNote:
    _allowed(permissions.can_edit_plan(actor, goal.plan))
    text = text.strip()
    if not text:
        raise RuleError(_("Write a few words about how it is going."), field="text")
    note = ProgressNote(goal=goal, author=actor, text=text)
    _clean(note)
    note.save()
    events.record(actor=actor, verb="activation.goal.note_added", target=note, subject=goal.plan.participant)
    return note


# -- activities ------------------------------------------------------------------------------
def _check_activity(data: dict[str, Any]) -> None:
    if not data.get("baskets"):
        raise RuleError(_("Choose at least one area of life."), field="baskets")
    if any(b not in Basket.values for b in data["baskets"]):
        raise RuleError(_("Choose the areas of life from the list."), field="baskets")
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise RuleError(_("The last time is before the first time. Check the dates."), field="ends_on")
    if int(data.get("capacity") or 0) < 1:
        raise RuleError(_("There must be at least one place."), field="capacity")


ACTIVITY_FIELDS = (
    "title",
    "summary",
    "area",
    "place",
    "schedule",
    "starts_on",
    "ends_on",
    "language",
    "accessible",
    "accessibility",
    "cost",
    "capacity",
)


def _check_provider(actor: User | None, provider: Organisation) -> None:
    """A person publishes only for an organisation where they manage activities; ``actor=None``
    is the demo loader or an import, which names the organisation itself."""
    if actor is not None:
        _allowed(permissions.can_publish_activity_for(actor, provider.pk), field="organisation")


@transaction.atomic
def activity_create(*, provider: Organisation, actor: User | None, data: dict[str, Any]) -> Activity:
    """Publish an activity of ``provider`` (the page and the API choose it with
    ``accounts.selectors.acting_organisation``)."""
    _check_provider(actor, provider)
    _check_activity(data)
    activity = Activity(
        provider=provider,
        baskets=Activity.baskets_code(list(data["baskets"])),
        status=Activity.Status.PUBLISHED,
        **{name: data[name] for name in ACTIVITY_FIELDS if name in data},
    )
    _clean(activity)
    activity.save()
    events.record(actor=actor, verb="activation.activity.created", target=activity)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, actor: User, data: dict[str, Any]) -> Activity:
    activity = Activity.objects.select_for_update().select_related("provider").get(pk=activity.pk)
    if activity.provider is None:
        raise RuleError(_("This activity is an idea that no organisation has taken on yet."))
    _check_provider(actor, activity.provider)
    _check_activity(data)
    signed_up = activity.signups.filter(status=SignUp.Status.SIGNED_UP).count()
    if int(data["capacity"]) < signed_up:
        raise RuleError(
            _("%(count)d people have already signed up. There must be at least as many places.") % {"count": signed_up},
            field="capacity",
        )
    for name in ACTIVITY_FIELDS:
        if name in data:
            setattr(activity, name, data[name])
    activity.baskets = Activity.baskets_code(list(data["baskets"]))
    _clean(activity)
    activity.save()
    _promote_waiting(activity=activity, actor=actor)
    events.record(actor=actor, verb="activation.activity.updated", target=activity)
    return activity


@transaction.atomic
def activity_propose(*, participant: User, data: dict[str, Any]) -> Activity:
    """A participant proposes an activity they would like to have, and can offer to help run it."""
    _allowed(permissions.can_propose_activity(participant))
    _check_activity(data)
    activity = Activity(
        provider=None,
        baskets=Activity.baskets_code(list(data["baskets"])),
        status=Activity.Status.PROPOSED,
        **{name: data[name] for name in ACTIVITY_FIELDS if name in data},
    )
    _clean(activity)
    activity.save()
    ActivityPerson.objects.create(activity=activity, person=participant, part=ActivityPerson.Part.PROPOSER)
    if data.get("co_run"):
        ActivityPerson.objects.create(activity=activity, person=participant, part=ActivityPerson.Part.CO_RUNNER)
    events.record(actor=participant, verb="activation.activity.proposed", target=activity, subject=participant)
    return activity


@transaction.atomic
def activity_adopt(*, activity: Activity, provider: Organisation, actor: User) -> Activity:
    """A provider takes on an activity a participant proposed and opens it for sign-ups."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _check_provider(actor, provider)
    _allowed(permissions.can_adopt_activity(actor, activity))
    activity.provider = provider
    activity.status = Activity.Status.PUBLISHED
    activity.save(update_fields=["provider", "status", "updated_at"])
    events.record(actor=actor, verb="activation.activity.adopted", target=activity)
    return activity


def activity_offer_help(*, activity: Activity, participant: User) -> ActivityPerson:
    """A participant offers to help run an open activity (co-production). The organiser sees the offer."""
    _allowed(permissions.can_offer_help(participant, activity), code="closed")
    helper, created = ActivityPerson.objects.get_or_create(
        activity=activity, person=participant, part=ActivityPerson.Part.CO_RUNNER
    )
    if created:
        events.record(actor=participant, verb="activation.activity.help_offered", target=helper, subject=participant)
    return helper


# -- sign-ups and the waiting list -------------------------------------------------------------
def _promote_waiting(*, activity: Activity, actor: User | None) -> None:
    """Fill free places from the waiting list, first come first served. Caller holds the activity lock."""
    free = activity.capacity - activity.signups.filter(status=SignUp.Status.SIGNED_UP).count()
    if free <= 0:
        return
    for signup in (
        activity.signups.filter(status=SignUp.Status.WAITING).select_related("participant").order_by("created_at", "pk")
    )[:free]:
        signup.status = SignUp.Status.SIGNED_UP
        signup.save(update_fields=["status", "updated_at"])
        events.record(actor=actor, verb="activation.signup.promoted", target=signup, subject=signup.participant)
        notices.waiting_list_place(signup)


def signup_create(*, activity: Activity, participant: User, join_waiting_list: bool = False) -> SignUp:
    """Sign up to an activity. Never overbooks: the activity row is locked while places are counted.

    When the activity is full the participant is offered the waiting list
    (``RuleConflict(code="full")``); with ``join_waiting_list`` they go on it.
    """
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        _allowed(permissions.can_sign_up(participant, locked), code="closed")
        if locked.signups.filter(
            participant=participant, status__in=[SignUp.Status.SIGNED_UP, SignUp.Status.WAITING]
        ).exists():
            raise RuleConflict(_("You have already signed up for this activity."), code="double")
        taken = locked.signups.filter(status=SignUp.Status.SIGNED_UP).count()
        if taken >= locked.capacity and not join_waiting_list:
            raise RuleConflict(
                _("This activity is full. You can join the waiting list: you get a place when one becomes free."),
                code="full",
            )
        status = SignUp.Status.SIGNED_UP if taken < locked.capacity else SignUp.Status.WAITING
        signup = SignUp(activity=locked, participant=participant, status=status)
        signup.save()
        events.record(
            actor=participant,
            verb="activation.signup.created",
            target=signup,
            subject=participant,
            data={"status": status},
        )
    return signup


@transaction.atomic
def signup_cancel(*, signup: SignUp, actor: User) -> SignUp:
    _allowed(permissions.can_cancel_signup(actor, signup))
    activity = Activity.objects.select_for_update().get(pk=signup.activity_id)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.status == SignUp.Status.CANCELLED:
        return signup
    signup.status = SignUp.Status.CANCELLED
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["status", "cancelled_at", "updated_at"])
    events.record(actor=actor, verb="activation.signup.cancelled", target=signup, subject=signup.participant)
    _promote_waiting(activity=activity, actor=actor)
    return signup


@transaction.atomic
def attendance_mark(*, signups: list[SignUp], on: dt.date, present_ids: set[int], actor: User) -> int:
    """Mark who was there on one day. Only people with a place are marked, by the activity's organisation."""
    if on > timezone.localdate():
        raise RuleError(_("You cannot mark attendance for a day that has not come yet."), field="on")
    count = 0
    for signup in signups:
        if not permissions.can_mark_attendance(actor, signup):
            continue
        Attendance.objects.update_or_create(
            signup=signup, on=on, defaults={"present": signup.pk in present_ids, "marked_by": actor}
        )
        count += 1
    if signups:
        events.record(
            actor=actor,
            verb="activation.attendance.marked",
            target=signups[0].activity,
            data={"on": on.isoformat(), "count": count},
        )
    return count


# -- meetings --------------------------------------------------------------------------------
def meeting_request(*, plan: Plan, actor: User, with_whom: str, topic: str, wishes: str = "") -> Meeting:
    _allowed(permissions.can_edit_plan(actor, plan))
    if with_whom not in Meeting.With.values:
        raise RuleError(_("Choose who you want to meet."), field="with_whom")
    if not topic.strip():
        raise RuleError(_("Write a few words about what you would like to talk about."), field="topic")
    meeting = Meeting(
        plan=plan,
        with_whom=with_whom,
        topic=topic.strip(),
        wishes=wishes.strip(),
        requested_by=actor,
        requested_at=timezone.now(),
    )
    _clean(meeting)
    with transaction.atomic():
        meeting.save()
        events.record(actor=actor, verb="activation.meeting.requested", target=meeting, subject=plan.participant)
        notices.meeting_requested(meeting)
    return meeting


@transaction.atomic
def meeting_schedule(
    *, meeting: Meeting, actor: User, starts_at: dt.datetime, duration_minutes: int, place: str
) -> Meeting:
    _allowed(permissions.can_schedule_meeting(actor, meeting))
    if starts_at < timezone.now():
        raise RuleError(_("The time is in the past. Choose a time that has not come yet."), field="starts_at")
    if not 10 <= duration_minutes <= 480:
        raise RuleError(_("A meeting lasts from 10 minutes to 8 hours."), field="duration_minutes")
    meeting.starts_at = starts_at
    meeting.duration_minutes = duration_minutes
    meeting.place = place.strip()
    meeting.worker = actor
    meeting.status = Meeting.Status.SCHEDULED
    _clean(meeting)
    meeting.save()
    events.record(actor=actor, verb="activation.meeting.scheduled", target=meeting, subject=meeting.plan.participant)
    notices.meeting_scheduled(meeting, actor=actor)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User) -> Meeting:
    _allowed(permissions.can_cancel_meeting(actor, meeting))
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    events.record(actor=actor, verb="activation.meeting.cancelled", target=meeting, subject=meeting.plan.participant)
    notices.meeting_cancelled(meeting, actor=actor)
    return meeting


# -- outcomes --------------------------------------------------------------------------------
def outcome_record(
    *, plan: Plan, actor: User, kind: str, achieved_on: dt.date, description: str = "", goal: Goal | None = None
) -> Outcome:
    _allowed(permissions.can_edit_plan(actor, plan))
    if kind not in Outcome.Kind.values:
        raise RuleError(_("Choose what happened."), field="kind")
    if achieved_on > timezone.localdate():
        raise RuleError(_("The date is in the future. Write the day it happened."), field="achieved_on")
    if goal is not None and goal.plan_id != plan.pk:
        raise RuleError(_("Choose one of the goals of this plan."), field="goal")
    outcome = Outcome(
        plan=plan, kind=kind, achieved_on=achieved_on, description=description.strip(), goal=goal, recorded_by=actor
    )
    _clean(outcome)
    outcome.save()
    events.record(
        actor=actor, verb="activation.outcome.recorded", target=outcome, subject=plan.participant, data={"kind": kind}
    )
    return outcome
