"""Who may see and do what in the activation module: the only answers to "may X?".

Only the participant, their current own worker (an ``own_worker`` relationship kept in an
organisation where the worker holds ``activation.view_caseload``) and the people the
participant has chosen to share the plan with may see a plan; the people it is shared with only
read it. Activity providers never see plans: they see the sign-ups to their own organisation's
activities (names and whether a person has a place or waits).

``<entities>_visible_to(user)`` are querysets for gates and lists; ``can_<verb>_<entity>(user,
obj)`` return a ``Decision`` whose reason a page can show. Templates show these decisions and
never compute one; services refuse with the same reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts import selectors as accounts
from osallisuus.accounts.permissions import ALLOW, Decision

from .models import Activity, Goal, Meeting, Outcome, Plan, SignUp

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


class P:
    """Permission codes seeded by ``migrations/0002_activation_permissions``."""

    HAVE_PLAN = "activation.have_plan"
    VIEW_CASELOAD = "activation.view_caseload"
    MANAGE_ACTIVITIES = "activation.manage_activities"
    VIEW_REPORTS = "activation.view_reports"


# -- who sees a plan -----------------------------------------------------------------------------
def client_ids_of(user: User) -> QuerySet[Any, Any]:
    """The people this user is now own worker for, in organisations where they may see caseloads."""
    return accounts.client_ids_of(worker=user, organisation_ids=user.permissions.organisations_with(P.VIEW_CASELOAD))


def _own_and_clients(user: User) -> Q:
    condition = Q(participant=user)
    if user.permissions.has(P.VIEW_CASELOAD):
        condition |= Q(participant_id__in=client_ids_of(user))
    return condition


def plans_editable_by(user: User) -> QuerySet[Plan]:
    """Plans this user may change: their own and their clients' (people shared with only read)."""
    if not user.is_authenticated:
        return Plan.objects.none()
    return Plan.objects.filter(_own_and_clients(user))


def plans_visible_to(user: User) -> QuerySet[Plan]:
    """Plans this user may read: their own, their clients', and those shared with them."""
    if not user.is_authenticated:
        return Plan.objects.none()
    shared = Plan.objects.filter(shares__person=user, shares__revoked_at__isnull=True).values("pk")
    return Plan.objects.filter(_own_and_clients(user) | Q(pk__in=shared))


def goals_visible_to(user: User, *, for_edit: bool = False) -> QuerySet[Goal]:
    plans = plans_editable_by(user) if for_edit else plans_visible_to(user)
    return Goal.objects.filter(plan__in=plans)


def meetings_visible_to(user: User, *, for_edit: bool = False) -> QuerySet[Meeting]:
    plans = plans_editable_by(user) if for_edit else plans_visible_to(user)
    return Meeting.objects.filter(plan__in=plans)


def outcomes_visible_to(user: User) -> QuerySet[Outcome]:
    return Outcome.objects.filter(plan__in=plans_visible_to(user))


def is_own_worker_of(user: User, plan: Plan) -> bool:
    """Is the user the participant's current own worker (where they may see caseloads)?"""
    return plan.participant_id != user.pk and accounts.has_relationship(
        worker=user,
        person_id=plan.participant_id,
        organisation_ids=user.permissions.organisations_with(P.VIEW_CASELOAD),
    )


def can_have_plan(user: User) -> Decision:
    if user.is_authenticated and user.permissions.has(P.HAVE_PLAN):
        return ALLOW
    return Decision(False, _("The plan is for participants."))


def can_edit_plan(user: User, plan: Plan) -> Decision:
    if plan.participant_id == user.pk or is_own_worker_of(user, plan):
        return ALLOW
    return Decision(False, _("You can read this plan, but only the participant and their own worker change it."))


def can_share_plan(user: User, plan: Plan) -> Decision:
    if plan.participant_id == user.pk:
        return ALLOW
    return Decision(False, _("Only you can decide who sees your plan."))


def can_start_checkin(user: User, plan: Plan) -> Decision:
    if plan.participant_id != user.pk:
        return Decision(False, _("Only the participant answers the check-in of their own plan."))
    if plan.status == Plan.Status.CLOSED:
        return Decision(False, _("The plan is closed. Open it again if you want to do a check-in."))
    return ALLOW


# -- goals ---------------------------------------------------------------------------------------
def can_accept_goal(user: User, goal: Goal) -> Decision:
    """A goal the own worker proposed becomes part of the plan only when the participant accepts it."""
    if goal.plan.participant_id != user.pk:
        return Decision(False, _("Only the participant can accept a proposed goal."))
    if goal.lifecycle_status != Goal.Lifecycle.PROPOSED:
        return Decision(False, _("This goal is already in your plan."))
    return ALLOW


def can_set_goal_status(user: User, goal: Goal) -> Decision:
    """Who may set a goal's status: on a proposal, only the participant (by accepting it)."""
    if goal.lifecycle_status == Goal.Lifecycle.PROPOSED and goal.plan.participant_id != user.pk:
        return Decision(False, _("The participant decides whether a proposed goal becomes part of the plan."))
    return ALLOW


# -- meetings ------------------------------------------------------------------------------------
def can_schedule_meeting(user: User, meeting: Meeting) -> Decision:
    """The own worker agrees the time (or changes it) until the meeting is held or cancelled."""
    if not is_own_worker_of(user, meeting.plan):
        return Decision(False, _("The own worker agrees the time of the meeting."))
    if meeting.status in {Meeting.Status.HELD, Meeting.Status.CANCELLED}:
        return Decision(False, _("This meeting can no longer be changed."))
    return ALLOW


def can_cancel_meeting(user: User, meeting: Meeting) -> Decision:
    if not (meeting.plan.participant_id == user.pk or is_own_worker_of(user, meeting.plan)):
        return Decision(False, _("Only the participant and their own worker can cancel the meeting."))
    if meeting.status in {Meeting.Status.HELD, Meeting.Status.CANCELLED}:
        return Decision(False, _("This meeting can no longer be cancelled."))
    return ALLOW


def can_download_meeting_invite(user: User, meeting: Meeting) -> Decision:
    if meeting.status != Meeting.Status.SCHEDULED or meeting.starts_at is None:
        return Decision(False, _("The invitation is ready when the time has been agreed."))
    return ALLOW


# -- activities, sign-ups and the waiting list ---------------------------------------------------
def can_sign_up(user: User, activity: Activity) -> Decision:
    """Participants sign up for open activities; a full one offers the waiting list."""
    decision = can_have_plan(user)
    if not decision:
        return Decision(False, _("Signing up is for participants."))
    if activity.status != Activity.Status.PUBLISHED:
        return Decision(False, _("This activity is not open for sign-up."))
    return ALLOW


def can_offer_help(user: User, activity: Activity) -> Decision:
    return can_sign_up(user, activity)


def can_propose_activity(user: User) -> Decision:
    if can_have_plan(user):
        return ALLOW
    return Decision(False, _("Participants propose activities; organisations publish their own."))


def can_cancel_signup(user: User, signup: SignUp) -> Decision:
    if signup.participant_id != user.pk:
        return Decision(False, _("Only the participant can cancel their sign-up."))
    return ALLOW


def signups_visible_to(user: User) -> QuerySet[SignUp]:
    """A sign-up and a place on the waiting list are seen by the participant and by the people who
    manage activities in the provider organisation (never by anyone else, never with the plan)."""
    if not user.is_authenticated:
        return SignUp.objects.none()
    orgs = user.permissions.organisations_with(P.MANAGE_ACTIVITIES)
    return SignUp.objects.filter(Q(participant=user) | Q(activity__provider_id__in=orgs))


def activities_managed_by(user: User) -> QuerySet[Activity]:
    orgs = user.permissions.organisations_with(P.MANAGE_ACTIVITIES)
    return Activity.objects.filter(provider_id__in=orgs)


def can_manage_activities(user: User) -> Decision:
    if user.is_authenticated and user.permissions.has(P.MANAGE_ACTIVITIES):
        return ALLOW
    return Decision(False, _("Only organisations that run activities publish them."))


def can_publish_activity_for(user: User, organisation_id: int | None) -> Decision:
    if organisation_id is not None and organisation_id in user.permissions.organisations_with(P.MANAGE_ACTIVITIES):
        return ALLOW
    return Decision(False, _("You cannot publish activities for that organisation."))


def can_adopt_activity(user: User, activity: Activity) -> Decision:
    if not can_manage_activities(user):
        return can_manage_activities(user)
    if activity.status != Activity.Status.PROPOSED:
        return Decision(False, _("Another organisation has already taken this activity on."))
    return ALLOW


def can_mark_attendance(user: User, signup: SignUp) -> Decision:
    """Only people with a place are marked, by the activity's organisation."""
    if signup.activity.provider_id not in user.permissions.organisations_with(P.MANAGE_ACTIVITIES):
        return Decision(False, _("Only the organisation that runs the activity marks attendance."))
    if signup.status != SignUp.Status.SIGNED_UP:
        return Decision(False, _("Only people with a place are marked."))
    return ALLOW


# -- caseload and reports ------------------------------------------------------------------------
def can_view_caseload(user: User) -> Decision:
    if user.is_authenticated and user.permissions.has(P.VIEW_CASELOAD):
        return ALLOW
    return Decision(False, _("The caseload is for own workers."))


def can_view_reports(user: User) -> Decision:
    if user.is_authenticated and user.permissions.has(P.VIEW_REPORTS):
        return ALLOW
    return Decision(False, _("Only people who follow the figures of the municipality see these reports."))
