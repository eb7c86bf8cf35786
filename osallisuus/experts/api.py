"""The experts journey through the API: requests, candidates, offers, agreements, expenses.

The same services, gates, predicates and access log as the pages. Every refusal is the
module's ``ExpertsError`` (a ``core.errors.Refusal``), answered by the foundation's handler in
the caller's language: 400 for a wrong input or state, 403 where the caller may not act,
and the same 404 for what the caller may not see as for what does not exist.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from osallisuus.accounts.selectors import users_by_ids
from osallisuus.core.access import Shown
from osallisuus.core.api import MAX_OFFSET, error_responses
from osallisuus.core.errors import Refusal
from osallisuus.core.http import AuthedRequest
from osallisuus.core.idempotency import idempotent
from osallisuus.core.paging import clamp_limit

from . import earnings, fees, matching, selectors, services, training
from .errors import ExpertsError, refuse_unless
from .models import Agreement, ExpenseItem, Offer, TaskRequest
from .permissions import broker_orgs, can_order, expert_card

router = Router(tags=["experts"])
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)


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
    organisation_id: int | None = Field(
        None, description="The organisation you order for; needed when you order for several."
    )
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
    warnings: list[str] = Field(
        description="The tax-free volunteer caps this report goes over (20 days, 3,000 € a year), if any."
    )


class PartnerIn(Schema):
    partner_worker_id: int = Field(description="A member of staff of the ordering organisation.")


def _offset(value: int) -> int:
    return max(0, min(value, MAX_OFFSET))


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


def _offer_out(o: Offer) -> OfferOut:
    return OfferOut(
        id=o.pk, request_id=o.request_id, title=o.request.title, starts_at=o.request.starts_at, status=o.status
    )


@router.get("/requests", response={200: list[RequestOut], **error_responses(401)}, url_name="experts_requests")
def requests_list(request: AuthedRequest, limit: int = 50, offset: int = 0) -> list[RequestOut]:
    """Requests you may see: your organisation's orders, or the ones your organisation brokers."""
    start = _offset(offset)
    rows = selectors.requests_for(actor=request.user)[start : start + clamp_limit(limit, default=50)]
    return [_request_out(r) for r in rows]


@router.post("/requests", response={201: RequestOut, **WRITE_ERRORS}, url_name="experts_request_file")
def request_file(request: AuthedRequest, payload: RequestIn) -> Status[RequestOut]:
    """File a request. Someone who orders for several organisations names it in ``organisation_id``."""
    actor = request.user
    refuse_unless(can_order(actor), field="organisation_id")
    try:
        organisation = selectors.ordering_organisation(user=actor, chosen=payload.organisation_id)
    except Refusal as exc:
        raise ExpertsError(exc.message, field="organisation_id", code=exc.code or "organisation") from exc
    broker = selectors.brokering_organisations().filter(pk=payload.broker_id).first()
    if broker is None:
        raise ExpertsError(_("Unknown brokering organisation."), field="broker_id")
    task_type = selectors.task_type_by_code(code=payload.task_type)
    if task_type is None:
        raise ExpertsError(_("Unknown task type."), field="task_type")
    area = None
    if payload.experience_area:
        area = selectors.experience_area_by_code(code=payload.experience_area)
        if area is None:
            raise ExpertsError(_("Unknown experience area."), field="experience_area")
    partner_id = payload.partner_worker_id
    partner = users_by_ids(ids=[partner_id]).get(partner_id) if partner_id else None
    data = payload.dict(exclude={"broker_id", "task_type", "experience_area", "partner_worker_id", "organisation_id"})
    created = services.request_file(
        actor=actor,
        organisation=organisation,
        broker=broker,
        task_type=task_type,
        experience_area=area,
        partner_worker=partner,
        **data,
    )
    return Status(201, _request_out(created))


@router.get(
    "/requests/{request_id}", response={200: RequestOut, **error_responses(401, 404)}, url_name="experts_request"
)
def request_detail(request: AuthedRequest, request_id: int) -> RequestOut:
    return _request_out(selectors.request_get(actor=request.user, pk=request_id))


def _as_coordinator(request: AuthedRequest, request_id: int) -> TaskRequest:
    """The request, for a coordinator of its brokering organisation (404 for everyone else)."""
    req = selectors.request_get(actor=request.user, pk=request_id)
    if req.broker_id not in broker_orgs(request.user):
        raise Http404
    return req


@router.post(
    "/requests/{request_id}/review", response={200: RequestOut, **WRITE_ERRORS}, url_name="experts_request_review"
)
def request_review(request: AuthedRequest, request_id: int, payload: ReviewIn) -> RequestOut:
    req = _as_coordinator(request, request_id)
    req = services.request_review(
        actor=request.user,
        request=req,
        approve=payload.approve,
        note=payload.note,
        fee_item_code=payload.fee_item_code,
        fee_amount=payload.fee_amount,
    )
    return _request_out(selectors.request_get(actor=request.user, pk=req.pk))


@router.post(
    "/requests/{request_id}/partner", response={200: RequestOut, **WRITE_ERRORS}, url_name="experts_request_partner"
)
def request_partner(request: AuthedRequest, request_id: int, payload: PartnerIn) -> RequestOut:
    """Name another professional partner (the orderer); the agreed tasks' placements move with it."""
    req = selectors.request_get(actor=request.user, pk=request_id)
    partner = users_by_ids(ids=[payload.partner_worker_id]).get(payload.partner_worker_id)
    services.request_partner_change(actor=request.user, request=req, partner=partner)
    return _request_out(selectors.request_get(actor=request.user, pk=req.pk))


@router.get(
    "/requests/{request_id}/candidates",
    response={200: list[CandidateOut], **error_responses(401, 404)},
    url_name="experts_candidates",
)
def candidates(request: AuthedRequest, request_id: int) -> list[CandidateOut]:
    """Ranked candidates with the reasons (coordinators of the brokering organisation)."""
    req = _as_coordinator(request, request_id)
    found = matching.candidates(req)
    shown = Shown(request.user, "candidates (API)", request.path)
    shown.add(*(c.user for c in found))
    shown.log()
    return [
        CandidateOut(
            expert_id=c.pk,
            name=c.user.full_name,
            score=matching.annotation(c, "score", 0),
            tasks_this_month=matching.annotation(c, "tasks_this_month", 0),
            reasons=matching.annotation(c, "reasons", []),
        )
        for c in found
    ]


@router.post("/requests/{request_id}/offers", response={201: list[OfferOut], **WRITE_ERRORS}, url_name="experts_offer")
def offer(request: AuthedRequest, request_id: int, payload: OfferIn) -> Status[list[OfferOut]]:
    req = _as_coordinator(request, request_id)
    chosen = selectors.experts_of_broker(broker_id=req.broker_id, ids=payload.expert_ids)
    if len(chosen) != len(set(payload.expert_ids)):
        raise ExpertsError(_("Some of the experts are not experts of the brokering organisation."), field="expert_ids")
    made = services.offer_make(actor=request.user, request=req, experts=chosen)
    return Status(
        201,
        [OfferOut(id=o.pk, request_id=req.pk, title=req.title, starts_at=req.starts_at, status=o.status) for o in made],
    )


@router.get("/offers", response={200: list[OfferOut], **error_responses(401)}, url_name="experts_offers")
def my_offers(request: AuthedRequest, limit: int = 200, offset: int = 0) -> list[OfferOut]:
    start = _offset(offset)
    rows = selectors.offers_for(user=request.user)[start : start + clamp_limit(limit, default=200)]
    return [_offer_out(o) for o in rows]


@router.get(
    "/offers/{offer_id}", response={200: OfferDetailOut, **error_responses(401, 404)}, url_name="experts_offer_detail"
)
def offer_detail(request: AuthedRequest, offer_id: int) -> OfferDetailOut:
    """One offer with its terms and the earnings check shown before accepting."""
    o = selectors.offer_get_for_expert(actor=request.user, pk=offer_id)
    fee: Decimal | None = None
    terms = ""
    check = None
    try:
        t = services.terms_for(request=o.request, volunteer=False)
        fee, terms = t.fee, t.text
        check = earnings.check_for(expert=o.expert, adding=t.fee, on=timezone.localtime(o.request.starts_at).date())
    except fees.FeeScheduleGap as exc:
        terms = exc.message
    return OfferDetailOut(
        **_offer_out(o).dict(),
        fee=fee,
        terms=terms,
        month_after=check.month_after if check else None,
        year_after=check.year_after if check else None,
        warnings=[LimitOut(message=r.message, flagged=r.flagged) for r in check.results] if check else [],
    )


@router.post("/offers/{offer_id}/accept", response={201: AgreementOut, **WRITE_ERRORS}, url_name="experts_offer_accept")
@idempotent
def offer_accept(request: AuthedRequest, offer_id: int, payload: AcceptIn) -> Status[AgreementOut]:
    o = selectors.offer_get_for_expert(actor=request.user, pk=offer_id)
    agreement = services.offer_accept(actor=request.user, offer=o, volunteer=payload.volunteer)
    return Status(201, _agreement_out(request, selectors.agreement_get(actor=request.user, pk=agreement.pk)))


@router.post("/offers/{offer_id}/decline", response={200: OfferOut, **WRITE_ERRORS}, url_name="experts_offer_decline")
def offer_decline(request: AuthedRequest, offer_id: int, payload: DeclineIn) -> OfferOut:
    o = selectors.offer_get_for_expert(actor=request.user, pk=offer_id)
    return _offer_out(services.offer_decline(actor=request.user, offer=o, reason=payload.reason))


def _agreement_out(request: AuthedRequest, a: Agreement) -> AgreementOut:
    card = expert_card(viewer=request.user, expert=a.expert, trained=training.is_trained(a.expert))
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


def _agreement(request: AuthedRequest, agreement_id: int) -> Agreement:
    return selectors.agreement_get(actor=request.user, pk=agreement_id, route=request.path)


@router.get(
    "/agreements/{agreement_id}",
    response={200: AgreementOut, **error_responses(401, 404)},
    url_name="experts_agreement",
)
def agreement_detail(request: AuthedRequest, agreement_id: int) -> AgreementOut:
    """The agreement; the expert's details follow the same field-level rules as the page."""
    return _agreement_out(request, _agreement(request, agreement_id))


@router.post(
    "/agreements/{agreement_id}/confirm",
    response={200: AgreementOut, **WRITE_ERRORS},
    url_name="experts_agreement_confirm",
)
@idempotent
def agreement_confirm(request: AuthedRequest, agreement_id: int, payload: ConfirmIn) -> AgreementOut:
    a = _agreement(request, agreement_id)
    services.agreement_confirm(actor=request.user, agreement=a, took_place=payload.took_place)
    a.refresh_from_db()
    return _agreement_out(request, a)


@router.post(
    "/agreements/{agreement_id}/cancel",
    response={200: AgreementOut, **WRITE_ERRORS},
    url_name="experts_agreement_cancel",
)
@idempotent
def agreement_cancel(request: AuthedRequest, agreement_id: int, payload: CancelIn) -> AgreementOut:
    """Cancel an agreed task (the expert, the orderer or the coordinator), as on the page.

    Free until the agreement's hours before the start; a later cancellation by the orderer or
    the coordinator keeps the fee due (``fee_due`` in the answer).
    """
    a = _agreement(request, agreement_id)
    services.agreement_cancel(actor=request.user, agreement=a, reason=payload.reason)
    a.refresh_from_db()
    return _agreement_out(request, a)


@router.post(
    "/agreements/{agreement_id}/reschedule",
    response={200: AgreementOut, **WRITE_ERRORS},
    url_name="experts_agreement_reschedule",
)
def agreement_reschedule(request: AuthedRequest, agreement_id: int, payload: RescheduleIn) -> AgreementOut:
    """Move an agreed task to another time by agreement (the coordinator of the brokering
    organisation): the same terms, and never over another task of the same expert."""
    a = _agreement(request, agreement_id)
    starts_at = payload.starts_at
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    services.agreement_reschedule(actor=request.user, agreement=a, starts_at=starts_at)
    a.refresh_from_db()
    return _agreement_out(request, a)


@router.post(
    "/agreements/{agreement_id}/expenses", response={201: ExpensesOut, **WRITE_ERRORS}, url_name="experts_expenses"
)
@idempotent
def expenses(request: AuthedRequest, agreement_id: int, payload: ExpensesIn) -> Status[ExpensesOut]:
    """Report kilometres and daily allowances. The answer names the tax-free volunteer caps the
    report goes over (when no fee is paid for the task)."""
    a = _agreement(request, agreement_id)
    lines = [
        services.ExpenseInput(kind=line.kind, kilometres=line.kilometres, amount=line.amount) for line in payload.lines
    ]
    if any(line.kind == ExpenseItem.Kind.DAILY_ALLOWANCE and line.amount is None for line in lines):
        raise ExpertsError(_("Give the amount of the daily allowance."), field="lines")
    caps = services.expenses_caps(agreement=a, lines=lines)
    report = services.expenses_submit(actor=request.user, agreement=a, lines=lines)
    items = list(report.items.all())
    return Status(
        201,
        ExpensesOut(
            id=report.pk,
            status=report.status,
            taxable=sum((i.amount for i in items if i.taxable), Decimal("0")),
            tax_free=sum((i.amount for i in items if not i.taxable), Decimal("0")),
            warnings=caps.warnings if caps is not None else [],
        ),
    )
