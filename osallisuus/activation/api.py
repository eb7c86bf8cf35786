"""The activation API: the same gates, predicates, services and access log as the pages.

Refusals are ``core.errors.Refusal``s and reach the caller through the core handler
(``{"detail", "field", "code"}`` in the caller's language: 400, 403 where the caller may not
act, 409 for a full activity); anything the caller may not see is the same 404 as something
that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ninja import Field, Router, Schema, Status

from osallisuus.accounts import selectors as accounts
from osallisuus.core.api import MAX_OFFSET, error_responses
from osallisuus.core.errors import Forbidden
from osallisuus.core.http import ApiRequest
from osallisuus.core.idempotency import idempotent
from osallisuus.core.paging import clamp_limit

from . import exports, permissions, selectors, services
from .models import Activity, Basket, Plan
from .permissions import P

if TYPE_CHECKING:
    from .selectors import ActivityWithPlaces

router = Router(tags=["activation"])


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


class ActivityIn(Schema):
    """A new activity of the caller's organisation. Someone who runs activities for several
    organisations names it with ``organisation_id``; otherwise the answer is 400 with
    ``field: "organisation"``."""

    organisation_id: int | None = Field(None, description="The organisation that runs it (when you act for several).")
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=5000)
    baskets: list[Basket] = Field(..., min_length=1, description="Areas of life.")
    area: str = Field(..., min_length=1, max_length=100)
    place: str = Field("", max_length=200)
    schedule: str = Field(..., min_length=1, max_length=200)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    language: str = Field("fi", pattern="^(fi|sv|en)$")
    accessible: bool = False
    accessibility: str = Field("", max_length=300)
    cost: Activity.Cost = Activity.Cost.FREE
    capacity: int = Field(..., ge=1, le=10_000)


class SignUpOut(Schema):
    id: int
    activity_id: int
    status: str


def _plan_out(plan: Plan, checkins: selectors.CheckIns | None = None) -> PlanOut:
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


def _activity_out(activity: ActivityWithPlaces) -> ActivityOut:
    return ActivityOut(
        id=activity.pk,
        title=activity.title,
        provider=activity.provider.name if activity.provider else "",
        area=activity.area,
        schedule=activity.schedule,
        language=activity.language,
        accessible=activity.accessible,
        cost=activity.cost,
        baskets=activity.basket_list,
        capacity=activity.capacity,
        free_places=max(0, activity.free),
    )


@router.get("/plans/{plan_id}", response={200: PlanOut, **error_responses(401, 404, 422)}, url_name="activation_plan")
def plan_detail(request: ApiRequest, plan_id: int) -> PlanOut:
    """A plan the caller may see (their own, a client's, or one shared with them). The check-ins
    are listed for the participant and the own worker only (dates and sharing, no answers)."""
    plan = selectors.plan_get(actor=request.auth, pk=plan_id, purpose="read the plan (API)", route=request.path)
    return _plan_out(plan, selectors.plan_checkins(plan=plan, actor=request.auth))


@router.get(
    "/plans/{plan_id}/fhir",
    response={200: dict[str, Any], **error_responses(401, 404, 422)},
    url_name="activation_plan_fhir",
)
def plan_fhir(request: ApiRequest, plan_id: int) -> dict[str, Any]:
    """The plan as a FHIR R4B Bundle with one CarePlan and its Goals."""
    plan = selectors.plan_get(
        actor=request.auth, pk=plan_id, purpose="FHIR export of the plan (API)", route=request.path
    )
    worker = selectors.own_worker_shown(plan=plan, actor=request.auth, route=request.path)
    return exports.plan_fhir_bundle(plan, own_worker=worker)


@router.get(
    "/activities", response={200: list[ActivityOut], **error_responses(401, 422)}, url_name="activation_activities"
)
def activities(
    request: ApiRequest,
    basket: str = "",
    area: str = "",
    language: str = "",
    accessible: bool = False,
    free_places: bool = False,
    q: str = "",
    limit: int = 50,
    offset: int = 0,
) -> list[ActivityOut]:
    """The activity catalogue with the same filters as the page, in Finnish order of the names."""
    limit = clamp_limit(limit, default=50)
    offset = max(0, min(offset, MAX_OFFSET))
    filters = selectors.CatalogueFilter(
        basket=basket,
        area=area,
        language=language,
        accessible=accessible,
        free_places=free_places,
        query=" ".join(q.replace("\x00", "").split())[:100],
    )
    return [_activity_out(a) for a in selectors.catalogue(filters=filters)[offset : offset + limit]]


@router.post(
    "/activities",
    response={201: ActivityOut, **error_responses(400, 401, 403, 422)},
    url_name="activation_activity_create",
)
def activity_create(request: ApiRequest, payload: ActivityIn) -> Status[ActivityOut]:
    """Publish an activity of your organisation (``activation.manage_activities``)."""
    decision = permissions.can_manage_activities(request.auth)
    if not decision:
        raise Forbidden(decision.reason)
    provider = accounts.acting_organisation(
        user=request.auth, permission=P.MANAGE_ACTIVITIES, chosen=payload.organisation_id
    )
    data = payload.model_dump(exclude={"organisation_id"})
    data["baskets"] = [str(b) for b in payload.baskets]
    data["cost"] = str(payload.cost)
    activity = services.activity_create(provider=provider, actor=request.auth, data=data)
    return Status(201, _activity_out(selectors.activity_get(pk=activity.pk)))


@router.post(
    "/activities/{activity_id}/sign-up",
    response={201: SignUpOut, **error_responses(400, 401, 403, 404, 409, 422)},
    url_name="activation_signup",
)
@idempotent
def sign_up(request: ApiRequest, activity_id: int, join_waiting_list: bool = False) -> Status[SignUpOut]:
    """Sign up to an activity. A full activity answers 409 unless ``join_waiting_list`` is true."""
    decision = permissions.can_have_plan(request.auth)
    if not decision:
        raise Forbidden(decision.reason)
    activity = selectors.activity_get(pk=activity_id)
    signup = services.signup_create(activity=activity, participant=request.auth, join_waiting_list=join_waiting_list)
    return Status(201, SignUpOut(id=signup.pk, activity_id=activity.pk, status=signup.status))
