"""Reads of the activation module. Gates return the object or the same 404, and every read of
another person's data writes one access-log row (``osallisuus.core.access``)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from osallisuus.accounts import selectors as accounts
from osallisuus.accounts.permissions import Decision
from osallisuus.core import access
from osallisuus.core.access import gate, log_access
from osallisuus.core.collation import finnish, finnish_sorted, search_filter
from osallisuus.measurement import selectors as measurement

from . import permissions
from .models import (
    CHECKIN_MODULE,
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
    ProgressNote,
    SignUp,
)

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    from osallisuus.accounts.models import User

    class Places(TypedDict):
        taken: int
        free: int

    ActivityWithPlaces = WithAnnotations[Activity, Places]
    """An activity with the places taken and free (``_with_places``)."""


def _log_rows(*, actor: User, rows: list[tuple[int, models.Model]], purpose: str, route: str = "") -> None:
    """One access-log row per person shown in a list, in one insert; ``rows`` are (person id, object)."""
    access.log_listing(
        actor=actor,
        rows=rows,
        subject_of=lambda row: row[0],
        object_of=lambda row: (row[1]._meta.label_lower, row[1].pk),
        purpose=purpose,
        route=route,
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


def own_plan(*, participant: User) -> Plan | None:
    """The participant's own plan, if it has been made."""
    return Plan.objects.filter(participant=participant).select_related("participant", "organisation").first()


def own_plan_get(*, actor: User, pk: object, purpose: str) -> Plan:
    """One's own plan only (sharing it and the check-in are the participant's alone)."""
    return gate(
        Plan.objects.filter(participant=actor).select_related("participant", "organisation"),
        pk=pk,
        actor=actor,
        purpose=purpose,
        subject_of=lambda p: p.participant_id,
    )


def goal_get(*, actor: User, pk: object, purpose: str, route: str = "", for_edit: bool = False) -> Goal:
    return gate(
        permissions.goals_visible_to(actor, for_edit=for_edit).select_related("plan", "plan__participant"),
        pk=pk,
        actor=actor,
        purpose=purpose,
        subject_of=lambda g: g.plan.participant_id,
        route=route,
    )


def meeting_get(*, actor: User, pk: object, purpose: str, route: str = "", for_edit: bool = False) -> Meeting:
    return gate(
        permissions.meetings_visible_to(actor, for_edit=for_edit).select_related("plan", "plan__participant"),
        pk=pk,
        actor=actor,
        purpose=purpose,
        subject_of=lambda m: m.plan.participant_id,
        route=route,
    )


def outcome_get(*, actor: User, pk: object, purpose: str, route: str = "") -> Outcome:
    return gate(
        permissions.outcomes_visible_to(actor).select_related(
            "plan", "plan__participant", "plan__organisation", "goal"
        ),
        pk=pk,
        actor=actor,
        purpose=purpose,
        subject_of=lambda o: o.plan.participant_id,
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
    """An activity of the actor's own organisations (no personal data; others get 404)."""
    return get_object_or_404(permissions.activities_managed_by(actor).select_related("provider"), pk=pk)


def _with_places(queryset: QuerySet[Activity]) -> QuerySet[ActivityWithPlaces]:
    return queryset.annotate(
        taken=Count("signups", filter=Q(signups__status=SignUp.Status.SIGNED_UP)),
    ).annotate(
        free=ExpressionWrapper(F("capacity") - F("taken"), output_field=IntegerField()),
    )


def activity_get(*, pk: int) -> ActivityWithPlaces:
    """A published activity (the catalogue is open to everyone who is logged in)."""
    return get_object_or_404(_with_places(Activity.objects.published().select_related("provider")), pk=pk)


def proposed_activity_get(*, pk: int) -> Activity:
    """An idea a participant proposed (without who proposed it), for a provider to take on."""
    return get_object_or_404(proposed_activities(), pk=pk)


# -- the plan page ---------------------------------------------------------------------------
def own_worker_shown(*, plan: Plan, actor: User, route: str = "") -> User | None:
    """The plan's own worker, about to be shown to ``actor``: logged when it is someone else."""
    worker = accounts.own_worker_of(person_id=plan.participant_id)
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
    requested_meetings: list[Meeting]
    outcomes: list[Outcome]
    can_edit: Decision
    """Refused for people the participant shares the plan with: they only read."""
    can_share: Decision
    can_checkin: Decision
    checkins: CheckIns | None = None
    """The participant's own check-ins, or for the own worker only their dates (None for others)."""


def plan_overview(*, plan: Plan, actor: User, route: str = "", with_checkins: bool = True) -> PlanOverview:
    """Everything on the plan page. Showing the own worker's contact details to someone else
    is a read of the worker's data, so it is logged too."""
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
        viewer_is_participant=plan.participant_id == actor.pk,
        viewer_is_worker=worker is not None and worker.pk == actor.pk,
        own_worker=worker,
        baskets=baskets,
        proposed_goals=[g for g in goals if g.is_proposal],
        closed_goals=[g for g in goals if g.lifecycle_status in (Goal.Lifecycle.COMPLETED, Goal.Lifecycle.CANCELLED)],
        signups=list(
            SignUp.objects.filter(participant_id=plan.participant_id)
            .exclude(status=SignUp.Status.CANCELLED)
            .select_related("activity", "activity__provider")
        ),
        meetings=meetings,
        upcoming_meetings=[m for m in meetings if m.is_agreed and m.starts_at and m.starts_at >= now],
        requested_meetings=[m for m in meetings if m.is_request],
        outcomes=list(plan.outcomes.all()),
        can_edit=permissions.can_edit_plan(actor, plan),
        can_share=permissions.can_share_plan(actor, plan),
        can_checkin=permissions.can_start_checkin(actor, plan),
        checkins=plan_checkins(plan=plan, actor=actor) if with_checkins else None,
    )


def shares_of(*, plan: Plan, actor: User, route: str = "") -> list[PlanShare]:
    shares = list(plan.shares.filter(revoked_at__isnull=True).select_related("person"))
    _log_rows(actor=actor, rows=[(s.person_id, s) for s in shares], purpose="plan sharing list", route=route)
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
    is_participant = plan.participant_id == actor.pk
    if not is_participant and not permissions.is_own_worker_of(actor, plan):
        return None
    responses = list(
        measurement.responses_for_context(
            respondent=plan.participant, context_module=CHECKIN_MODULE, context_ref=plan.checkin_ref
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
        .filter(respondent_id=plan.participant_id, context_module=CHECKIN_MODULE, context_ref=plan.checkin_ref)
        .values_list("pk", flat=True)
    )
    for r in responses:
        if r.status != "in_progress" and r.submitted_at is not None:
            shared = r.pk in shared_ids
            found.done.append(CheckIn(r.submitted_at, shared, r.pk if shared else None))
    found.done.sort(key=lambda c: c.submitted_at, reverse=True)
    return found


# -- goal page and history -------------------------------------------------------------------
@dataclass
class Written:
    """A version or a note with who wrote it, in plain words (no names)."""

    item: GoalVersion | ProgressNote
    who: str


@dataclass
class GoalPage:
    versions: list[Written]
    notes: list[Written]
    expressed_by: str
    can_edit: Decision
    can_accept: Decision
    is_participant: bool


def goal_page(*, goal: Goal, viewer: User) -> GoalPage:
    plan = goal.plan

    def who(person_id: int | None) -> str:
        return who_label(person_id=person_id, viewer=viewer, plan=plan)

    return GoalPage(
        versions=[Written(v, who(v.changed_by_id)) for v in goal.versions.all()],
        notes=[Written(n, who(n.author_id)) for n in goal.notes.all()],
        expressed_by=who(goal.expressed_by_id),
        can_edit=permissions.can_edit_plan(viewer, plan),
        can_accept=permissions.can_accept_goal(viewer, goal),
        is_participant=plan.participant_id == viewer.pk,
    )


def goal_version_numbers(*, goal: Goal) -> list[int]:
    return list(goal.versions.values_list("number", flat=True))


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
CASELOAD_SORTS: dict[str, tuple[Any, ...]] = {
    "attention": ("-has_request", finnish("participant__full_name"), "pk"),
    "name": (finnish("participant__full_name"), "pk"),
    "updated": ("-updated_at", "pk"),
}
CASELOAD_FILTERS = {"status": Plan.Status.values}


def caseload(*, actor: User, q: str = "", status: str = "") -> QuerySet[Plan]:
    """The plans of the worker's clients, searched by name and filtered by the plan's status.

    Only what sorting needs is computed here (whether a meeting request waits), so the page is
    sorted, counted and cut in SQL before anything is counted per row (``caseload_figures``)."""
    open_requests = Meeting.objects.filter(plan=OuterRef("pk"), status=Meeting.Status.REQUESTED)
    qs = (
        Plan.objects.filter(participant_id__in=permissions.client_ids_of(actor))
        .select_related("participant")
        .annotate(has_request=Exists(open_requests))
    )
    if q:
        qs = qs.filter(search_filter(q, ["participant__full_name"]))
    if status:
        qs = qs.filter(status=status)
    return qs


@dataclass
class CaseloadRow:
    plan: Plan
    open_goals: int
    proposed_goals: int
    meeting_requests: int
    next_meeting: Any


def _count_of(queryset: QuerySet[Any]) -> Coalesce:
    counted = queryset.order_by().values("plan").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def caseload_figures(*, plans: list[Plan]) -> list[CaseloadRow]:
    """What needs attention in each plan of one page: one query, however many plans there are."""
    goals = Goal.objects.filter(plan=OuterRef("pk"))
    meetings = Meeting.objects.filter(plan=OuterRef("pk"))
    figures = {
        row["pk"]: row
        for row in Plan.objects.filter(pk__in=[p.pk for p in plans])
        .annotate(
            open_goals=_count_of(goals.filter(lifecycle_status=Goal.Lifecycle.ACTIVE)),
            proposed_goals=_count_of(goals.filter(lifecycle_status=Goal.Lifecycle.PROPOSED)),
            meeting_requests=_count_of(meetings.filter(status=Meeting.Status.REQUESTED)),
            next_meeting=Subquery(
                meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now())
                .order_by("starts_at")
                .values("starts_at")[:1]
            ),
        )
        .values("pk", "open_goals", "proposed_goals", "meeting_requests", "next_meeting")
    }
    return [
        CaseloadRow(
            plan=p,
            open_goals=figures[p.pk]["open_goals"],
            proposed_goals=figures[p.pk]["proposed_goals"],
            meeting_requests=figures[p.pk]["meeting_requests"],
            next_meeting=figures[p.pk]["next_meeting"],
        )
        for p in plans
    ]


def caseload_log(*, actor: User, plans: Iterable[Plan], route: str = "") -> None:
    _log_rows(actor=actor, rows=[(p.participant_id, p) for p in plans], purpose="caseload list", route=route)


def meeting_requests_for_worker(*, actor: User) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            plan__participant_id__in=permissions.client_ids_of(actor), status=Meeting.Status.REQUESTED
        )
        .select_related("plan", "plan__participant")
        .order_by("requested_at")
    )


# -- catalogue -------------------------------------------------------------------------------
CATALOGUE_SORTS: dict[str, tuple[Any, ...]] = {
    "name": (finnish("title"), "pk"),
    "free": ("-free", finnish("title"), "pk"),
    "starts": ("starts_on", finnish("title"), "pk"),
}
YES = ("1", "on")
"""What a ticked box sends (``1``; ``on`` from older links)."""


def catalogue_filters() -> dict[str, list[str]]:
    """The filters the catalogue offers and the values each accepts (for ``core.paging``)."""
    return {
        "basket": list(Basket.values),
        "area": catalogue_areas(),
        "language": ["fi", "sv", "en"],
        "accessible": list(YES),
        "free_places": list(YES),
    }


@dataclass(frozen=True)
class CatalogueFilter:
    basket: str = ""
    area: str = ""
    language: str = ""
    accessible: bool = False
    free_places: bool = False
    query: str = ""

    @classmethod
    def from_query(cls, *, q: str, filters: dict[str, str]) -> CatalogueFilter:
        return cls(
            basket=filters.get("basket", ""),
            area=filters.get("area", ""),
            language=filters.get("language", ""),
            accessible=filters.get("accessible", "") in YES,
            free_places=filters.get("free_places", "") in YES,
            query=q,
        )


def catalogue(*, filters: CatalogueFilter) -> QuerySet[ActivityWithPlaces]:
    """Published activities with their free places, in Finnish order of their names."""
    qs = _with_places(Activity.objects.published().select_related("provider"))
    if filters.basket:
        qs = qs.filter(baskets__contains=f",{filters.basket},")
    if filters.area:
        qs = qs.filter(area=filters.area)
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.accessible:
        qs = qs.filter(accessible=True)
    if filters.query:
        qs = qs.filter(search_filter(filters.query, ["title", "summary"]))
    if filters.free_places:
        qs = qs.filter(free__gt=0)
    return qs.order_by(finnish("title"), "pk")


def catalogue_areas() -> list[str]:
    return finnish_sorted(set(Activity.objects.published().order_by().values_list("area", flat=True)))


def own_signup_for(*, activity: Activity, participant: User) -> SignUp | None:
    return (
        SignUp.objects.filter(activity=activity, participant=participant)
        .exclude(status=SignUp.Status.CANCELLED)
        .first()
    )


def offers_help(*, activity: Activity, participant: User) -> bool:
    return ActivityPerson.objects.filter(
        activity=activity, person=participant, part=ActivityPerson.Part.CO_RUNNER
    ).exists()


# -- providers -------------------------------------------------------------------------------
def provider_activities(*, actor: User) -> QuerySet[Activity]:
    return (
        permissions.activities_managed_by(actor)
        .select_related("provider")
        .annotate(
            taken=Count("signups", filter=Q(signups__status=SignUp.Status.SIGNED_UP)),
            waiting=Count("signups", filter=Q(signups__status=SignUp.Status.WAITING)),
        )
        .order_by("status", finnish("title"), "pk")
    )


def proposed_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(status=Activity.Status.PROPOSED).order_by("-created_at", "-pk")


def places_taken(*, activity: Activity) -> list[SignUp]:
    """The sign-ups with a place (the people whose attendance can be marked)."""
    return list(activity.signups.filter(status=SignUp.Status.SIGNED_UP))


@dataclass
class RosterRow:
    signup: SignUp
    name: str
    present: bool | None
    can_mark: Decision


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
    helpers = list(
        activity.people.filter(part=ActivityPerson.Part.CO_RUNNER).select_related("person").order_by("created_at")
    )
    _log_rows(
        actor=actor,
        rows=[(s.participant_id, s) for s in signups] + [(h.person_id, h) for h in helpers],
        purpose="activity roster",
        route=route,
    )
    rows = []
    for signup in signups:
        mark = next((a for a in signup.marks if a.on == on), None)
        rows.append(
            RosterRow(
                signup=signup,
                name=signup.participant.full_name,
                present=None if mark is None else mark.present,
                can_mark=permissions.can_mark_attendance(actor, signup),
            )
        )
    return rows, helpers
