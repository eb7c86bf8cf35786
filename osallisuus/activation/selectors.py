"""Reads of the activation module. Gates return the object or the same 404, and every read of
another person's data writes one access-log row (``osallisuus.core.access``)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from osallisuus.core import access
from osallisuus.core.access import gate, log_access

from . import permissions
from .models import (
    GOAL_VERSIONED_FIELDS,
    Activity,
    ActivityPerson,
    Basket,
    Goal,
    GoalVersion,
    Meeting,
    Outcome,
    Plan,
    PlanShare,
    SignUp,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


def log_listing(
    *, actor: User, rows: list[tuple[int, Any]], purpose: str, route: str = "", action: str = "list"
) -> None:
    """One access-log row per person shown in a list, written with one insert (a fixed number of
    queries however long the list is). ``rows`` are (person id, object shown) pairs."""
    access.log_listing(
        actor=actor,
        rows=rows,
        subject_of=lambda row: row[0],
        object_of=lambda row: (row[1]._meta.label_lower, row[1].pk),
        purpose=purpose,
        route=route,
        action=action,
    )


# -- gates -----------------------------------------------------------------------------------
def plan_get(*, actor: User, pk: object, purpose: str, route: str = "", for_edit: bool = False) -> Plan:
    queryset = permissions.plans_editable_by(actor) if for_edit else permissions.plans_visible_to(actor)
    return gate(
        queryset.select_related("participant", "organisation"),
        pk=pk,
        actor=actor,
        purpose=purpose,
        subject_of=lambda p: p.participant_id,
        route=route,
    )


def goal_get(*, actor: User, pk: object, purpose: str, route: str = "", for_edit: bool = False) -> Goal:
    plans = permissions.plans_editable_by(actor) if for_edit else permissions.plans_visible_to(actor)
    return gate(
        Goal.objects.filter(plan__in=plans).select_related("plan", "plan__participant"),
        pk=pk,
        actor=actor,
        purpose=purpose,
        subject_of=lambda g: g.plan.participant_id,
        route=route,
    )


def meeting_get(*, actor: User, pk: object, purpose: str, route: str = "", for_edit: bool = False) -> Meeting:
    plans = permissions.plans_editable_by(actor) if for_edit else permissions.plans_visible_to(actor)
    return gate(
        Meeting.objects.filter(plan__in=plans).select_related("plan", "plan__participant"),
        pk=pk,
        actor=actor,
        purpose=purpose,
        subject_of=lambda m: m.plan.participant_id,
        route=route,
    )


def share_get(*, actor: User, pk: object) -> PlanShare:
    """A sharing of one's own plan (only the participant manages who sees the plan)."""
    return gate(
        PlanShare.objects.filter(plan__participant=actor).select_related("plan"),
        pk=pk,
        actor=actor,
        purpose="plan sharing",
        subject_of=lambda s: s.plan.participant_id,
    )


def own_signup_get(*, actor: User, pk: object) -> SignUp:
    return gate(
        SignUp.objects.filter(participant=actor).select_related("activity"),
        pk=pk,
        actor=actor,
        purpose="own sign-up",
        subject_of=lambda s: s.participant_id,
    )


def managed_activity_get(*, actor: User, pk: int) -> Activity:
    from django.http import Http404

    try:
        return permissions.activities_managed_by(actor).select_related("provider").get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def activity_get(*, pk: int) -> Activity:
    """A published activity (the catalogue is public to everyone who may have a plan)."""
    from django.http import Http404

    try:
        return (
            Activity.objects.published()
            .select_related("provider")
            .annotate(taken=Count("signups", filter=Q(signups__status=SignUp.Status.SIGNED_UP)))
            .get(pk=pk)
        )
    except (Activity.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# -- the plan page ---------------------------------------------------------------------------
def own_worker_of(*, participant_id: int) -> User | None:
    from osallisuus.accounts.models import Relationship

    rel = (
        Relationship.objects.current()
        .filter(person_id=participant_id, kind=Relationship.Kind.OWN_WORKER)
        .select_related("worker", "organisation")
        .order_by("-started_on")
        .first()
    )
    return rel.worker if rel else None


def own_worker_shown(*, plan: Plan, actor: User, route: str = "") -> User | None:
    """The plan's own worker, about to be shown to ``actor``: logged when it is someone else."""
    worker = own_worker_of(participant_id=plan.participant_id)
    if worker is not None and worker.pk != actor.pk:
        log_access(actor=actor, subject_id=worker.pk, obj=worker, purpose="own worker contact on the plan", route=route)
    return worker


@dataclass
class PlanOverview:
    plan: Plan
    viewer_is_participant: bool
    viewer_is_worker: bool
    own_worker: User | None
    baskets: list[dict[str, Any]]
    proposed_goals: list[Goal]
    closed_goals: list[Goal]
    signups: list[SignUp]
    meetings: list[Meeting]
    upcoming_meetings: list[Meeting]
    outcomes: list[Outcome]
    can_edit: bool = False
    """False for people the participant shares the plan with: they only read."""
    shares: list[PlanShare] = field(default_factory=list)
    checkins: CheckIns | None = None
    """The participant's own check-ins, or for the own worker only their dates (None for others)."""


def plan_overview(*, plan: Plan, actor: User, route: str = "", with_checkins: bool = True) -> PlanOverview:
    """Everything on the plan page. Showing the own worker's contact details to someone else
    is a read of the worker's data, so it is logged too."""
    viewer_is_participant = plan.participant_id == actor.pk
    worker = own_worker_shown(plan=plan, actor=actor, route=route)
    goals = list(plan.goals.all())
    baskets = []
    for value, label in Basket.choices:
        open_goals = [
            g
            for g in goals
            if g.basket == value and g.lifecycle_status in (Goal.Lifecycle.ACTIVE, Goal.Lifecycle.ON_HOLD)
        ]
        baskets.append({"code": value, "label": label, "goals": open_goals})
    meetings = list(plan.meetings.select_related("worker").all())
    now = timezone.now()
    return PlanOverview(
        plan=plan,
        viewer_is_participant=viewer_is_participant,
        viewer_is_worker=worker is not None and worker.pk == actor.pk,
        own_worker=worker,
        baskets=baskets,
        proposed_goals=[g for g in goals if g.lifecycle_status == Goal.Lifecycle.PROPOSED],
        closed_goals=[g for g in goals if g.lifecycle_status in (Goal.Lifecycle.COMPLETED, Goal.Lifecycle.CANCELLED)],
        signups=list(
            SignUp.objects.filter(participant_id=plan.participant_id)
            .exclude(status=SignUp.Status.CANCELLED)
            .select_related("activity", "activity__provider")
        ),
        meetings=meetings,
        upcoming_meetings=[
            m for m in meetings if m.status == Meeting.Status.SCHEDULED and m.starts_at and m.starts_at >= now
        ],
        outcomes=list(plan.outcomes.all()),
        can_edit=permissions.plans_editable_by(actor).filter(pk=plan.pk).exists(),
        checkins=plan_checkins(plan=plan, actor=actor) if with_checkins else None,
    )


def shares_of(*, plan: Plan, actor: User, route: str = "") -> list[PlanShare]:
    shares = list(plan.shares.filter(revoked_at__isnull=True).select_related("person"))
    log_listing(actor=actor, rows=[(s.person_id, s) for s in shares], purpose="plan sharing list", route=route)
    return shares


def who_label(*, person_id: int | None, viewer: User, plan: Plan) -> str:
    """Plain words for who did something, without names: you, the participant, the own worker."""
    if person_id is None:
        return _("someone who no longer uses the service")
    if person_id == viewer.pk:
        return _("you")
    if person_id == plan.participant_id:
        return _("the participant")
    return _("the own worker")


# -- check-ins -------------------------------------------------------------------------------
@dataclass
class CheckIn:
    """One sent check-in as the plan page shows it: when, and whether it is shared. Never the answers."""

    submitted_at: Any
    shared: bool
    """Participant's view: shared with someone. Own worker's view: shared with this worker."""
    answers_id: int | None = None
    """The response to link to: the participant's own answers, or the answers shared with the worker."""


@dataclass
class CheckIns:
    done: list[CheckIn] = field(default_factory=list)
    in_progress_id: int | None = None

    @property
    def last(self) -> CheckIn | None:
        return self.done[0] if self.done else None

    @property
    def shared_count(self) -> int:
        return sum(1 for c in self.done if c.shared)


def plan_checkins(*, plan: Plan, actor: User) -> CheckIns | None:
    """The plan's check-ins (the measurement engine's ``plan-checkin``) for the participant and
    their current own worker; ``None`` for anyone else (people the plan is shared with).

    The own worker gets only whether and when check-ins were sent, and a link to the ones the
    participant chose to share with them (measurement's gate decides). The caller has opened the
    plan through ``plan_get``, whose access-log row about the participant covers these dates (one
    row per person per page); the shared answers themselves are logged when they are opened."""
    from osallisuus.measurement import selectors as measurement

    from .services import CHECKIN_MODULE, checkin_ref

    is_participant = plan.participant_id == actor.pk
    if not is_participant and not permissions.is_own_worker_of(actor, plan):
        return None
    responses = list(
        measurement.responses_for_context(
            respondent=plan.participant, context_module=CHECKIN_MODULE, context_ref=checkin_ref(plan)
        )
    )
    found = CheckIns()
    if is_participant:
        for r in responses:
            if r.status == "in_progress":
                found.in_progress_id = found.in_progress_id or r.pk
            elif r.submitted_at is not None:
                found.done.append(CheckIn(r.submitted_at, r.shared_with_id is not None, r.pk))
        found.done.sort(key=lambda c: c.submitted_at, reverse=True)
        return found
    shared_ids = set(
        measurement.responses_shared_with(worker=actor)
        .filter(respondent_id=plan.participant_id, context_module=CHECKIN_MODULE, context_ref=checkin_ref(plan))
        .values_list("pk", flat=True)
    )
    for r in responses:
        if r.status != "in_progress" and r.submitted_at is not None:
            shared = r.pk in shared_ids
            found.done.append(CheckIn(r.submitted_at, shared, r.pk if shared else None))
    found.done.sort(key=lambda c: c.submitted_at, reverse=True)
    return found


# -- goal history ----------------------------------------------------------------------------
def goal_versions(*, goal: Goal) -> list[GoalVersion]:
    return list(goal.versions.all())


def goal_versions_compare(*, goal: Goal, old: int, new: int) -> list[dict[str, Any]]:
    """Field by field comparison of two versions; text fields get a word-level diff."""
    versions = {v.number: v for v in goal.versions.filter(number__in=[old, new])}
    if old not in versions or new not in versions:
        raise KeyError("version")
    a, b = versions[old], versions[new]
    rows = []
    for name in GOAL_VERSIONED_FIELDS:
        model_field = cast("models.Field[Any, Any]", Goal._meta.get_field(name))
        before, after = getattr(a, name), getattr(b, name)
        if model_field.choices:
            labels = dict(model_field.choices)
            before_text, after_text = str(labels.get(before, before or "")), str(labels.get(after, after or ""))
        else:
            before_text = "" if before is None else str(before)
            after_text = "" if after is None else str(after)
        words: list[tuple[str, str]] = []
        if name in ("title", "description") and before_text != after_text:
            matcher = difflib.SequenceMatcher(a=before_text.split(), b=after_text.split())
            for op, i1, i2, j1, j2 in matcher.get_opcodes():
                if op == "equal":
                    words.append(("same", " ".join(before_text.split()[i1:i2])))
                else:
                    if i2 > i1:
                        words.append(("removed", " ".join(before_text.split()[i1:i2])))
                    if j2 > j1:
                        words.append(("added", " ".join(after_text.split()[j1:j2])))
        rows.append(
            {
                "name": name,
                "label": str(model_field.verbose_name),
                "before": before_text,
                "after": after_text,
                "changed": before != after,
                "words": words,
            }
        )
    return rows


# -- caseload --------------------------------------------------------------------------------
def caseload(*, actor: User) -> QuerySet[Plan]:
    """The plans of the worker's clients with what needs attention. A fixed number of queries."""
    open_requests = Meeting.objects.filter(plan=OuterRef("pk"), status=Meeting.Status.REQUESTED)
    return (
        Plan.objects.filter(participant_id__in=permissions.client_ids_of(actor))
        .select_related("participant")
        .annotate(
            open_goals=Count("goals", filter=Q(goals__lifecycle_status=Goal.Lifecycle.ACTIVE), distinct=True),
            proposed_goals=Count("goals", filter=Q(goals__lifecycle_status=Goal.Lifecycle.PROPOSED), distinct=True),
            meeting_requests=Count("meetings", filter=Q(meetings__status=Meeting.Status.REQUESTED), distinct=True),
            next_meeting=Min(
                "meetings__starts_at",
                filter=Q(meetings__status=Meeting.Status.SCHEDULED, meetings__starts_at__gte=timezone.now()),
            ),
            has_request=Exists(open_requests),
        )
        .order_by("-has_request", "participant__full_name", "pk")
    )


def caseload_log(*, actor: User, plans: list[Plan], route: str = "") -> None:
    log_listing(actor=actor, rows=[(p.participant_id, p) for p in plans], purpose="caseload list", route=route)


def meeting_requests_for_worker(*, actor: User) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            plan__participant_id__in=permissions.client_ids_of(actor), status=Meeting.Status.REQUESTED
        )
        .select_related("plan", "plan__participant")
        .order_by("requested_at")
    )


# -- catalogue -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CatalogueFilter:
    basket: str = ""
    area: str = ""
    language: str = ""
    accessible: bool = False
    free_places: bool = False
    query: str = ""


def catalogue(*, filters: CatalogueFilter) -> QuerySet[Activity]:
    qs = (
        Activity.objects.published()
        .select_related("provider")
        .annotate(taken=Count("signups", filter=Q(signups__status=SignUp.Status.SIGNED_UP)))
        .annotate(free=F("capacity") - F("taken"))
    )
    if filters.basket:
        qs = qs.filter(baskets__contains=f",{filters.basket},")
    if filters.area:
        qs = qs.filter(area=filters.area)
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.accessible:
        qs = qs.filter(accessible=True)
    if filters.query:
        qs = qs.filter(Q(title__icontains=filters.query) | Q(summary__icontains=filters.query))
    if filters.free_places:
        qs = qs.filter(free__gt=0)
    return qs.order_by("title", "pk")


def catalogue_areas() -> list[str]:
    return list(Activity.objects.published().order_by("area").values_list("area", flat=True).distinct())


def own_signup_for(*, activity: Activity, participant: User) -> SignUp | None:
    return (
        SignUp.objects.filter(activity=activity, participant=participant)
        .exclude(status=SignUp.Status.CANCELLED)
        .first()
    )


# -- providers -------------------------------------------------------------------------------
def provider_activities(*, actor: User) -> QuerySet[Activity]:
    return (
        permissions.activities_managed_by(actor)
        .select_related("provider")
        .annotate(
            taken=Count("signups", filter=Q(signups__status=SignUp.Status.SIGNED_UP)),
            waiting=Count("signups", filter=Q(signups__status=SignUp.Status.WAITING)),
        )
        .order_by("status", "title", "pk")
    )


def offers_help(*, activity: Activity, participant: User) -> bool:
    return ActivityPerson.objects.filter(
        activity=activity, person=participant, part=ActivityPerson.Part.CO_RUNNER
    ).exists()


def activity_helpers(*, activity: Activity) -> list[ActivityPerson]:
    """Participants who offered to help run the activity (names for the organiser; the caller logs)."""
    return list(
        activity.people.filter(part=ActivityPerson.Part.CO_RUNNER).select_related("person").order_by("created_at")
    )


def proposed_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(status=Activity.Status.PROPOSED).order_by("-created_at")


@dataclass
class RosterRow:
    signup: SignUp
    name: str
    present: bool | None


def activity_roster(
    *, actor: User, activity: Activity, on: Any, route: str = ""
) -> tuple[list[RosterRow], list[ActivityPerson]]:
    """Who has signed up, with only what the provider needs: the name and the status; and who
    offered to help run it. Each person shown is logged once."""
    signups = list(
        activity.signups.exclude(status=SignUp.Status.CANCELLED)
        .select_related("participant")
        .prefetch_related(Prefetch("attendances", to_attr="marks"))
        .order_by("status", "created_at", "pk")
    )
    helpers = activity_helpers(activity=activity)
    log_listing(
        actor=actor,
        rows=[(s.participant_id, s) for s in signups] + [(h.person_id, h) for h in helpers],
        purpose="activity roster",
        route=route,
    )
    rows = []
    for signup in signups:
        mark = next((a for a in signup.marks if a.on == on), None)
        rows.append(
            RosterRow(signup=signup, name=signup.participant.full_name, present=None if mark is None else mark.present)
        )
    return rows, helpers


# -- for other modules: who takes part in an activity (budgeting: the voters of an activity) ----
def participant_ids_signed_up(*, activity_id: int) -> set[int]:
    """The participants now signed up to the activity (not those on the waiting list). Ids only."""
    return set(
        SignUp.objects.filter(activity_id=activity_id, status=SignUp.Status.SIGNED_UP).values_list(
            "participant_id", flat=True
        )
    )


def activity_ids_signed_up(*, participant_id: int) -> set[int]:
    """The activities the participant is now signed up to. Ids only."""
    return set(
        SignUp.objects.filter(participant_id=participant_id, status=SignUp.Status.SIGNED_UP).values_list(
            "activity_id", flat=True
        )
    )
