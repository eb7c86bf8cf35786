"""The experts journey through the API: requests, candidates, offers, agreements, expenses.

The same services, gates and access log as the pages. Refusals answer 400 with the
service's message; anything the caller may not see answers 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from osallisuus.core.access import Shown
from osallisuus.core.api import error_responses

from . import earnings, fees, matching, selectors, services
from .models import ExpenseItem, Expert, Offer, TaskRequest
from .permissions import broker_orgs, can_order, expert_card, order_orgs

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

router = Router(tags=["experts"])


def _actor(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


def _refuse(exc: Exception) -> HttpError:
    return HttpError(400, getattr(exc, "message", str(exc)))


class RequestIn(Schema):
    broker_id: int
    task_type: str = Field(description="Task type code, e.g. 'lecture'.")
    title: str = Field(max_length=200, min_length=1)
    description: str = Field(max_length=5000, min_length=1)
    starts_at: dt.datetime
    duration_minutes: int = Field(ge=15, le=720)
    sessions: int = Field(1, ge=1, le=52)
    remote: bool = False
    address: str = Field("", max_length=300)
    region: str = Field("", max_length=100)
    audience: str = Field("", max_length=200)
    experience_area: str | None = None
    language: str = Field("fi", pattern="^(fi|sv|en)$")
    partner_worker_id: int | None = None
    places: int = Field(1, ge=1, le=10)
    compensation: str = Field("fee", pattern="^(fee|expenses|voluntary|salaried)$")


class RequestOut(Schema):
    id: int
    title: str
    status: str
    organisation: str
    broker: str
    task_type: str
    starts_at: dt.datetime
    duration_minutes: int
    remote: bool
    places: int
    compensation: str


class ReviewIn(Schema):
    approve: bool
    note: str = Field("", max_length=2000)
    fee_item_code: str = Field("", max_length=50)
    fee_amount: Decimal | None = Field(None, ge=0, le=100000, decimal_places=2)


class CandidateOut(Schema):
    expert_id: int
    name: str
    score: int
    tasks_this_month: int
    reasons: list[str]


class OfferIn(Schema):
    expert_ids: list[int] = Field(min_length=1, max_length=50)


class OfferOut(Schema):
    id: int
    request_id: int
    title: str
    starts_at: dt.datetime
    status: str


class LimitOut(Schema):
    message: str
    flagged: bool


class OfferDetailOut(OfferOut):
    fee: Decimal | None
    terms: str
    month_after: Decimal | None
    year_after: Decimal | None
    warnings: list[LimitOut]


class AcceptIn(Schema):
    volunteer: bool = False


class DeclineIn(Schema):
    reason: str = Field("", max_length=300)


class ExpertCardOut(Schema):
    expert_id: int
    name: str
    experience_areas: list[str]
    perspective: str
    languages: list[str]
    region: str
    trained: bool
    diagnoses: str | None
    story: str | None
    email: str | None
    phone: str | None


class AgreementOut(Schema):
    id: int
    request_id: int
    title: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    volunteer: bool
    fee: Decimal
    fee_due: bool
    terms: str
    expert: ExpertCardOut


class ConfirmIn(Schema):
    took_place: bool


class CancelIn(Schema):
    reason: str = Field("", max_length=300, description="Optional; shown to the other parties.")


class RescheduleIn(Schema):
    starts_at: dt.datetime = Field(
        description="The new start. Without a UTC offset the time is read as Finnish time (Europe/Helsinki)."
    )


class ExpenseLineIn(Schema):
    kind: str = Field(
        pattern="^(km|daily_allowance)$",
        description="Through the API: kilometres or a daily allowance. Receipts go through the page.",
    )
    kilometres: Decimal | None = Field(None, ge=0, le=2000)
    amount: Decimal | None = Field(None, ge=0, le=5000)


class ExpensesIn(Schema):
    lines: list[ExpenseLineIn] = Field(min_length=1, max_length=20)


class ExpensesOut(Schema):
    id: int
    status: str
    taxable: Decimal
    tax_free: Decimal


def _request_out(r: TaskRequest) -> RequestOut:
    return RequestOut(
        id=r.pk,
        title=r.title,
        status=r.status,
        organisation=r.organisation.name,
        broker=r.broker.name,
        task_type=r.task_type.code,
        starts_at=r.starts_at,
        duration_minutes=r.duration_minutes,
        remote=r.remote,
        places=r.places,
        compensation=r.compensation,
    )


@router.get("/requests", response={200: list[RequestOut], **error_responses(401)}, url_name="experts_requests")
def requests_list(request: HttpRequest, limit: int = 50, offset: int = 0) -> list[RequestOut]:
    """Requests you may see: your organisation's orders, or the ones your organisation brokers."""
    limit = max(1, min(limit, 200))
    offset = max(0, min(offset, 1_000_000))
    rows = selectors.requests_for(actor=_actor(request))[offset : offset + limit]
    return [_request_out(r) for r in rows]


@router.post("/requests", response={201: RequestOut, **error_responses(400, 401, 422)}, url_name="experts_request_file")
def request_file(request: HttpRequest, payload: RequestIn) -> Status:
    from osallisuus.accounts.models import Organisation, User

    from .models import ExperienceArea, TaskType

    actor = _actor(request)
    orgs = sorted(order_orgs(actor))
    if not orgs:
        raise HttpError(400, str(can_order(actor).reason))
    broker = services.brokering_organisations().filter(pk=payload.broker_id).first()
    task_type = TaskType.objects.filter(code=payload.task_type, is_active=True).first()
    area = ExperienceArea.objects.filter(code=payload.experience_area).first() if payload.experience_area else None
    partner = User.objects.filter(pk=payload.partner_worker_id).first() if payload.partner_worker_id else None
    if broker is None or task_type is None or (payload.experience_area and area is None):
        raise HttpError(400, "Unknown brokering organisation, task type or experience area.")
    data = payload.dict(exclude={"broker_id", "task_type", "experience_area", "partner_worker_id"})
    try:
        created = services.request_file(
            actor=actor,
            organisation=Organisation.objects.get(pk=orgs[0]),
            broker=broker,
            task_type=task_type,
            experience_area=area,
            partner_worker=partner,
            **data,
        )
    except services.ExpertsError as exc:
        raise _refuse(exc) from exc
    except services.ValidationError as exc:
        raise HttpError(400, services.validation_message(exc)) from exc
    return Status(201, _request_out(created))


@router.get(
    "/requests/{request_id}", response={200: RequestOut, **error_responses(401, 404)}, url_name="experts_request"
)
def request_detail(request: HttpRequest, request_id: int) -> RequestOut:
    return _request_out(selectors.request_get(actor=_actor(request), pk=request_id))


def _as_coordinator(request: HttpRequest, request_id: int) -> tuple[Any, TaskRequest]:
    actor = _actor(request)
    req = selectors.request_get(actor=actor, pk=request_id)
    if req.broker_id not in broker_orgs(actor):
        raise Http404
    return actor, req


@router.post(
    "/requests/{request_id}/review",
    response={200: RequestOut, **error_responses(400, 401, 404, 422)},
    url_name="experts_request_review",
)
def request_review(request: HttpRequest, request_id: int, payload: ReviewIn) -> RequestOut:
    actor, req = _as_coordinator(request, request_id)
    try:
        req = services.request_review(
            actor=actor,
            request=req,
            approve=payload.approve,
            note=payload.note,
            fee_item_code=payload.fee_item_code,
            fee_amount=payload.fee_amount,
        )
    except (services.ExpertsError, fees.FeeScheduleGap) as exc:
        raise _refuse(exc) from exc
    return _request_out(selectors.request_get(actor=actor, pk=req.pk))


@router.get(
    "/requests/{request_id}/candidates",
    response={200: list[CandidateOut], **error_responses(401, 404)},
    url_name="experts_candidates",
)
def candidates(request: HttpRequest, request_id: int) -> list[CandidateOut]:
    """Ranked candidates with the reasons (coordinators of the brokering organisation)."""
    actor, req = _as_coordinator(request, request_id)
    found = matching.candidates(req)
    shown = Shown(actor, "candidates (API)", request.path)
    shown.add(*(c.user for c in found))
    shown.log()
    return [
        CandidateOut(
            expert_id=c.pk,
            name=c.user.full_name,
            score=c.score,  # type: ignore[attr-defined]
            tasks_this_month=c.tasks_this_month,  # type: ignore[attr-defined]
            reasons=c.reasons,  # type: ignore[attr-defined]
        )
        for c in found
    ]


@router.post(
    "/requests/{request_id}/offers",
    response={201: list[OfferOut], **error_responses(400, 401, 404, 422)},
    url_name="experts_offer",
)
def offer(request: HttpRequest, request_id: int, payload: OfferIn) -> Status:
    actor, req = _as_coordinator(request, request_id)
    chosen = list(
        Expert.objects.filter(pk__in=payload.expert_ids, organisation_id=req.broker_id).select_related("user")
    )
    if len(chosen) != len(set(payload.expert_ids)):
        raise HttpError(400, "Some of the experts are not experts of the brokering organisation.")
    try:
        made = services.offer_make(actor=actor, request=req, experts=chosen)
    except services.ExpertsError as exc:
        raise _refuse(exc) from exc
    return Status(
        201,
        [OfferOut(id=o.pk, request_id=req.pk, title=req.title, starts_at=req.starts_at, status=o.status) for o in made],
    )


@router.get("/offers", response={200: list[OfferOut], **error_responses(401)}, url_name="experts_offers")
def my_offers(request: HttpRequest) -> list[OfferOut]:
    rows = selectors.offers_for(user=_actor(request))[:200]
    return [
        OfferOut(
            id=o.pk, request_id=o.request_id, title=o.request.title, starts_at=o.request.starts_at, status=o.status
        )
        for o in rows
    ]


@router.get(
    "/offers/{offer_id}", response={200: OfferDetailOut, **error_responses(401, 404)}, url_name="experts_offer_detail"
)
def offer_detail(request: HttpRequest, offer_id: int) -> OfferDetailOut:
    """One offer with its terms and the earnings check shown before accepting."""
    o = selectors.offer_get_for_expert(actor=_actor(request), pk=offer_id)
    fee: Decimal | None = None
    terms = ""
    check = None
    try:
        t = services.terms_for(request=o.request, volunteer=False)
        fee, terms = t.fee, t.text
        check = earnings.check_for(expert=o.expert, adding=t.fee, on=timezone.localtime(o.request.starts_at).date())
    except fees.FeeScheduleGap as exc:
        terms = str(exc)
    return OfferDetailOut(
        id=o.pk,
        request_id=o.request_id,
        title=o.request.title,
        starts_at=o.request.starts_at,
        status=o.status,
        fee=fee,
        terms=terms,
        month_after=check.month_after if check else None,
        year_after=check.year_after if check else None,
        warnings=[LimitOut(message=r.message, flagged=r.flagged) for r in check.results] if check else [],
    )


@router.post(
    "/offers/{offer_id}/accept",
    response={201: AgreementOut, **error_responses(400, 401, 404, 422)},
    url_name="experts_offer_accept",
)
def offer_accept(request: HttpRequest, offer_id: int, payload: AcceptIn) -> Status:
    actor = _actor(request)
    o = selectors.offer_get_for_expert(actor=actor, pk=offer_id)
    try:
        agreement = services.offer_accept(actor=actor, offer=o, volunteer=payload.volunteer)
    except services.ExpertsError as exc:
        raise _refuse(exc) from exc
    return Status(201, _agreement_out(actor, selectors.agreement_get(actor=actor, pk=agreement.pk)))


@router.post(
    "/offers/{offer_id}/decline",
    response={200: OfferOut, **error_responses(400, 401, 404, 422)},
    url_name="experts_offer_decline",
)
def offer_decline(request: HttpRequest, offer_id: int, payload: DeclineIn) -> OfferOut:
    actor = _actor(request)
    o = selectors.offer_get_for_expert(actor=actor, pk=offer_id)
    try:
        o = services.offer_decline(actor=actor, offer=o, reason=payload.reason)
    except services.ExpertsError as exc:
        raise _refuse(exc) from exc
    return OfferOut(
        id=o.pk,
        request_id=o.request_id,
        title=o.request.title,
        starts_at=o.request.starts_at,
        status=Offer.Status.DECLINED,
    )


def _agreement_out(actor: Any, a: Any) -> AgreementOut:
    card = expert_card(viewer=actor, expert=a.expert, trained=selectors.trained(a.expert))
    return AgreementOut(
        id=a.pk,
        request_id=a.request_id,
        title=a.request.title,
        status=a.status,
        starts_at=a.starts_at,
        ends_at=a.ends_at,
        volunteer=a.volunteer,
        fee=a.fee,
        fee_due=a.fee_due,
        terms=a.terms,
        expert=ExpertCardOut(**card.as_dict()),
    )


@router.get(
    "/agreements/{agreement_id}",
    response={200: AgreementOut, **error_responses(401, 404)},
    url_name="experts_agreement",
)
def agreement_detail(request: HttpRequest, agreement_id: int) -> AgreementOut:
    """The agreement; the expert's details follow the same field-level rules as the page."""
    actor = _actor(request)
    return _agreement_out(actor, selectors.agreement_get(actor=actor, pk=agreement_id, route=request.path))


@router.post(
    "/agreements/{agreement_id}/confirm",
    response={200: AgreementOut, **error_responses(400, 401, 404, 422)},
    url_name="experts_agreement_confirm",
)
def agreement_confirm(request: HttpRequest, agreement_id: int, payload: ConfirmIn) -> AgreementOut:
    actor = _actor(request)
    a = selectors.agreement_get(actor=actor, pk=agreement_id, route=request.path)
    try:
        services.agreement_confirm(actor=actor, agreement=a, took_place=payload.took_place)
    except services.ExpertsError as exc:
        raise _refuse(exc) from exc
    a.refresh_from_db()
    return _agreement_out(actor, a)


@router.post(
    "/agreements/{agreement_id}/cancel",
    response={200: AgreementOut, **error_responses(400, 401, 404, 422)},
    url_name="experts_agreement_cancel",
)
def agreement_cancel(request: HttpRequest, agreement_id: int, payload: CancelIn) -> AgreementOut:
    """Cancel an agreed task (the expert, the orderer or the coordinator), as on the page.

    Free until the agreement's hours before the start; a later cancellation by the orderer or
    the coordinator keeps the fee due (``fee_due`` in the answer).
    """
    actor = _actor(request)
    a = selectors.agreement_get(actor=actor, pk=agreement_id, route=request.path)
    try:
        services.agreement_cancel(actor=actor, agreement=a, reason=payload.reason)
    except services.ExpertsError as exc:
        raise _refuse(exc) from exc
    a.refresh_from_db()
    return _agreement_out(actor, a)


@router.post(
    "/agreements/{agreement_id}/reschedule",
    response={200: AgreementOut, **error_responses(400, 401, 404, 422)},
    url_name="experts_agreement_reschedule",
)
def agreement_reschedule(request: HttpRequest, agreement_id: int, payload: RescheduleIn) -> AgreementOut:
    """Move an agreed task to another time by agreement (the coordinator of the brokering
    organisation): the same terms, and never over another task of the same expert."""
    actor = _actor(request)
    a = selectors.agreement_get(actor=actor, pk=agreement_id, route=request.path)
    starts_at = payload.starts_at
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    try:
        services.agreement_reschedule(actor=actor, agreement=a, starts_at=starts_at)
    except services.ExpertsError as exc:
        raise _refuse(exc) from exc
    a.refresh_from_db()
    return _agreement_out(actor, a)


@router.post(
    "/agreements/{agreement_id}/expenses",
    response={201: ExpensesOut, **error_responses(400, 401, 404, 422)},
    url_name="experts_expenses",
)
def expenses(request: HttpRequest, agreement_id: int, payload: ExpensesIn) -> Status:
    actor = _actor(request)
    a = selectors.agreement_get(actor=actor, pk=agreement_id, route=request.path)
    lines = [
        services.ExpenseInput(kind=line.kind, kilometres=line.kilometres, amount=line.amount) for line in payload.lines
    ]
    for line in lines:
        if line.kind == ExpenseItem.Kind.DAILY_ALLOWANCE and line.amount is None:
            raise HttpError(400, "Give the amount of the daily allowance.")
    try:
        report = services.expenses_submit(actor=actor, agreement=a, lines=lines)
    except services.ExpertsError as exc:
        raise _refuse(exc) from exc
    items = list(report.items.all())
    return Status(
        201,
        ExpensesOut(
            id=report.pk,
            status=report.status,
            taxable=sum((i.amount for i in items if i.taxable), Decimal("0")),
            tax_free=sum((i.amount for i in items if not i.taxable), Decimal("0")),
        ),
    )
