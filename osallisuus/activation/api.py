"""The activation API: the same gates, services and access log as the pages."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from osallisuus.core.api import MAX_OFFSET

from . import exports, permissions, selectors, services

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

router = Router(tags=["activation"])


def _me(request: HttpRequest) -> User:
    """The authenticated caller (session or token); Ninja puts it in ``request.auth``."""
    return cast("User", request.auth)  # type: ignore[attr-defined]


class GoalOut(Schema):
    id: int
    title: str
    basket: str
    lifecycle_status: str
    achievement_status: str
    target_on: dt.date | None
    review_on: dt.date | None
    version: int


class CheckInOut(Schema):
    """A sent check-in: when, and whether it is shared. Never the answers: the participant reads
    their own under /measurement/my-responses, the own worker only shared ones under
    /measurement/shared/{answers_id}."""

    submitted_at: dt.datetime
    shared: bool
    answers_id: int | None


class PlanOut(Schema):
    id: int
    status: str
    next_step: str
    next_step_on: dt.date | None
    goals: list[GoalOut]
    checkins: list[CheckInOut] = []


class ActivityOut(Schema):
    id: int
    title: str
    provider: str
    area: str
    schedule: str
    language: str
    accessible: bool
    cost: str
    baskets: list[str]
    capacity: int
    free_places: int


class SignUpOut(Schema):
    id: int
    activity_id: int
    status: str


def _plan_out(plan: Any, checkins: selectors.CheckIns | None = None) -> PlanOut:
    return PlanOut(
        id=plan.pk,
        status=plan.status,
        next_step=plan.next_step,
        next_step_on=plan.next_step_on,
        goals=[GoalOut.from_orm(g) for g in plan.goals.all()],
        checkins=[
            CheckInOut(submitted_at=c.submitted_at, shared=c.shared, answers_id=c.answers_id)
            for c in (checkins.done if checkins else [])
        ],
    )


@router.get("/plans/{plan_id}", response=PlanOut, url_name="activation_plan")
def plan_detail(request: HttpRequest, plan_id: int) -> PlanOut:
    """A plan the caller may see (their own, a client's, or one shared with them). The check-ins
    are listed for the participant and the own worker only (dates and sharing, no answers)."""
    plan = selectors.plan_get(actor=_me(request), pk=plan_id, purpose="read the plan (API)", route=request.path)
    return _plan_out(plan, selectors.plan_checkins(plan=plan, actor=_me(request)))


@router.get("/plans/{plan_id}/fhir", response=dict[str, Any], url_name="activation_plan_fhir")
def plan_fhir(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    """The plan as a FHIR R4B Bundle with one CarePlan and its Goals."""
    plan = selectors.plan_get(
        actor=_me(request),
        pk=plan_id,
        purpose="FHIR export of the plan (API)",
        route=request.path,
    )
    worker = selectors.own_worker_shown(plan=plan, actor=_me(request), route=request.path)
    return exports.plan_fhir_bundle(plan, own_worker=worker)


@router.get("/activities", response=list[ActivityOut], url_name="activation_activities")
def activities(
    request: HttpRequest,
    basket: str = "",
    area: str = "",
    language: str = "",
    accessible: bool = False,
    free_places: bool = False,
    q: str = "",
    limit: int = 50,
    offset: int = 0,
) -> list[ActivityOut]:
    """The activity catalogue with the same filters as the page."""
    limit = max(1, min(limit, 200))
    offset = max(0, min(offset, MAX_OFFSET))
    filters = selectors.CatalogueFilter(
        basket=basket, area=area, language=language, accessible=accessible, free_places=free_places, query=q[:100]
    )
    rows = selectors.catalogue(filters=filters)[offset : offset + limit]
    return [
        ActivityOut(
            id=a.pk,
            title=a.title,
            provider=a.provider.name if a.provider else "",
            area=a.area,
            schedule=a.schedule,
            language=a.language,
            accessible=a.accessible,
            cost=a.cost,
            baskets=a.basket_list,
            capacity=a.capacity,
            free_places=max(0, a.free),  # type: ignore[attr-defined]
        )
        for a in rows
    ]


@router.post("/activities/{activity_id}/sign-up", response={201: SignUpOut}, url_name="activation_signup")
def sign_up(request: HttpRequest, activity_id: int, join_waiting_list: bool = False) -> Status:
    """Sign up to an activity. A full activity answers 409 unless ``join_waiting_list`` is true."""
    if not permissions.can_have_plan(_me(request)):
        raise HttpError(403, str(permissions.can_have_plan(_me(request)).reason))
    activity = selectors.activity_get(pk=activity_id)
    try:
        signup = services.signup_create(
            activity=activity,
            participant=_me(request),
            join_waiting_list=join_waiting_list,
        )
    except services.RuleError as error:
        raise HttpError(409, error.message) from error
    return Status(201, SignUpOut(id=signup.pk, activity_id=activity.pk, status=signup.status))
