"""Reads of plans: the gates (the same 404 for missing and forbidden, one access-log row for
another person's data), the plan page, its check-ins, and a goal with its history."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from osallisuus.accounts import selectors as accounts
from osallisuus.accounts.permissions import Decision
from osallisuus.core.access import gate, log_access
from osallisuus.measurement import selectors as measurement

from .. import permissions
from ..models import (
    CHECKIN_MODULE,
    CHECKIN_REF_KIND,
    GOAL_VERSIONED_FIELDS,
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
from ._log import log_rows as _log_rows

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


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


def plan_link(context_ref: str, user: User) -> tuple[str, str] | None:
    """Measurement's link back from the check-in (context ``plan:<pk>``) to the plan, only for
    the participant whose plan it is; ``None`` for anyone else. Reads no personal data."""
    kind, _sep, pk = context_ref.partition(":")
    if kind != CHECKIN_REF_KIND or not pk.isdigit() or not Plan.objects.filter(pk=int(pk), participant=user).exists():
        return None
    return _("Back to your plan"), reverse("activation:plan", args=[int(pk)])
