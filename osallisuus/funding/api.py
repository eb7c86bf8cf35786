"""The funding endpoints under /api/v1/funding/: the same services and gates as the pages.

Programmes with their envelopes, open calls, one's applications (the applicant side sees its drafts,
the funders the submitted ones), writing a draft and submitting it before the call closes. An
application the caller may not see answers 404 exactly like one that does not exist; every refusal is
``{"detail", "field", "code"}`` in the caller's language. Amounts are strings of euros as people type
them (``"1 234,50"`` or ``"1234.50"``) and are answered as decimal strings.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from osallisuus.accounts import selectors as accounts
from osallisuus.core.api import PageQuery, error_responses
from osallisuus.core.idempotency import idempotent

from . import permissions, selectors, services
from .models import Application, Programme
from .permissions import P

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

router = Router(tags=["funding"])


def _me(request: HttpRequest) -> User:
    return cast("User", request.auth)  # type: ignore[attr-defined]


class EnvelopeOut(Schema):
    funder: str
    share: str = Field(description="esf_state, city, main_implementer or other.")
    year: int
    cap: Decimal
    decided: Decimal
    paid: Decimal
    remaining: Decimal
    source: str


class ProgrammeOut(Schema):
    id: int
    name: str
    model: str = Field(description="partnership or internal.")
    organisation: str
    year_from: int
    year_until: int


class ProgrammeDetailOut(ProgrammeOut):
    description: str
    envelopes: list[EnvelopeOut]


class CallOut(Schema):
    id: int
    programme_id: int
    name: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    year: int
    state: str = Field(description="upcoming, open or closed (the server's clock).")


class OutputIO(Schema):
    description: str = Field(max_length=300)
    indicator: str = Field(max_length=200)
    target: str = Field(description="A number, e.g. 40 or 12,5.", max_length=20)
    unit: str = Field("", max_length=40)


class CostIO(Schema):
    category: str = Field(description="staff, services, travel, materials, premises or other.")
    description: str = Field(max_length=300)
    amount: str = Field(description="Euros, e.g. 1 234,50.", max_length=20)


class PlanIn(Schema):
    title: str = Field(max_length=200)
    aims: str = ""
    target_group: str = ""
    activities: str = ""
    schedule: str = ""
    theme: str = Field("", max_length=100)
    area: str = Field("", max_length=100)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    lump_sum: bool = True
    eura_application_number: str = Field("", max_length=40)
    eura_project_code: str = Field("", max_length=40)


class ApplicationIn(Schema):
    plan: PlanIn
    outputs: list[OutputIO] = []
    costs: list[CostIO] = []
    financing: dict[str, str] = Field(
        default_factory=dict,
        description="Source → euros: esf_state, city, main_implementer, own_money, own_volunteer, other.",
    )


class ApplicationCreateIn(ApplicationIn):
    organisation_id: int | None = Field(None, description="The applicant organisation, if you act for several.")


class DecisionOut(Schema):
    funder: str
    share: str
    outcome: str = Field(description="granted or refused.")
    number: str
    decided_on: dt.date
    amount: Decimal
    conditions: str
    refusal_reasons: str


class FinancingRowOut(Schema):
    source: str
    applied: Decimal
    decided: Decimal | None


class ApplicationOut(Schema):
    id: int
    call_id: int
    title: str
    applicant: str
    status: str = Field(description="draft, submitted, withdrawn, decided or closed.")
    tracking_number: str
    submitted_at: dt.datetime | None
    eura_application_number: str
    eura_project_code: str
    diary_number: str


class ApplicationDetailOut(ApplicationOut):
    aims: str
    target_group: str
    activities: str
    schedule: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    lump_sum: bool
    outputs: list[OutputIO]
    costs: list[CostIO]
    total_cost: Decimal
    total_financing: Decimal
    decisions: list[DecisionOut]
    financing: list[FinancingRowOut] = Field(description="The financing plan next to what each funder decided.")


def _programme_out(p: Programme) -> ProgrammeOut:
    return ProgrammeOut(
        id=p.pk,
        name=p.name,
        model=p.model,
        organisation=p.organisation.name,
        year_from=p.year_from,
        year_until=p.year_until,
    )


def _application_out(a: Application) -> ApplicationOut:
    return ApplicationOut(
        id=a.pk,
        call_id=a.call_id,
        title=a.title,
        applicant=a.applicant.name,
        status=a.status,
        tracking_number=a.tracking_number,
        submitted_at=a.submitted_at,
        eura_application_number=a.eura_application_number,
        eura_project_code=a.eura_project_code,
        diary_number=a.diary_number,
    )


def _detail_out(a: Application) -> ApplicationDetailOut:
    totals = services.totals_of(a)
    return ApplicationDetailOut(
        **_application_out(a).dict(),
        aims=a.aims,
        target_group=a.target_group,
        activities=a.activities,
        schedule=a.schedule,
        starts_on=a.starts_on,
        ends_on=a.ends_on,
        lump_sum=a.lump_sum,
        outputs=[
            OutputIO(description=o.description, indicator=o.indicator, target=f"{o.target.normalize():f}", unit=o.unit)
            for o in a.outputs.all()
        ],
        costs=[CostIO(category=c.category, description=c.description, amount=f"{c.amount:f}") for c in a.costs.all()],
        total_cost=totals.costs,
        total_financing=totals.financing,
        decisions=[
            DecisionOut(
                funder=d.funder.organisation.name,
                share=d.funder.share,
                outcome=d.outcome,
                number=d.number,
                decided_on=d.decided_on,
                amount=d.amount,
                conditions=d.conditions,
                refusal_reasons=d.refusal_reasons,
            )
            for d in a.decisions.select_related("funder__organisation")
        ],
        financing=[
            FinancingRowOut(source=row.source, applied=row.applied, decided=row.decided)
            for row in selectors.combined_financing(a)
        ],
    )


def _save(me: User, application: Application, data: ApplicationIn) -> Application:
    return services.application_save(
        actor=me,
        application=application,
        plan=data.plan.dict(),
        outputs=[o.dict() for o in data.outputs],
        costs=[c.dict() for c in data.costs],
        financing=data.financing,
    )


@router.get(
    "/programmes", response={200: list[ProgrammeOut], **error_responses(401, 422)}, url_name="funding_programmes"
)
def programmes(request: HttpRequest, page: Query[PageQuery]) -> list[ProgrammeOut]:
    """The funding programmes (for everyone who takes part in funding in any role)."""
    rows = selectors.programmes_list(_me(request))[page.offset : page.offset + page.limit]
    return [_programme_out(p) for p in rows]


@router.get(
    "/programmes/{programme_id}",
    response={200: ProgrammeDetailOut, **error_responses(401, 404, 422)},
    url_name="funding_programme",
)
def programme_detail(request: HttpRequest, programme_id: int) -> Any:
    """A programme with its funders' yearly envelopes: cap, decided, paid and remaining."""
    p = selectors.programme_get(actor=_me(request), pk=programme_id, route=request.path)
    envelopes = [
        EnvelopeOut(
            funder=row.funder.organisation.name,
            share=row.funder.share,
            year=row.envelope.year,
            cap=row.cap,
            decided=row.decided,
            paid=row.paid,
            remaining=row.remaining,
            source=row.envelope.source,
        )
        for row in selectors.envelope_rows(p)
    ]
    return ProgrammeDetailOut(**_programme_out(p).dict(), description=p.description, envelopes=envelopes)


@router.get("/calls", response={200: list[CallOut], **error_responses(401, 422)}, url_name="funding_calls")
def calls(request: HttpRequest) -> list[CallOut]:
    """Calls that are open or coming, soonest closing first (the deadline list)."""
    return [
        CallOut(
            id=d.call.pk,
            programme_id=d.call.programme_id,
            name=d.call.name,
            opens_at=d.call.opens_at,
            closes_at=d.call.closes_at,
            year=d.call.year,
            state=d.state,
        )
        for d in selectors.deadlines(_me(request))
    ]


@router.get(
    "/applications", response={200: list[ApplicationOut], **error_responses(401, 422)}, url_name="funding_applications"
)
def applications(request: HttpRequest, page: Query[PageQuery]) -> list[ApplicationOut]:
    """The applications the caller may open: the applicant side's (drafts too) and, as a funder, the submitted ones."""
    rows = (
        permissions.application_visible_to(_me(request))
        .select_related("applicant")
        .order_by("-updated_at", "pk")[page.offset : page.offset + page.limit]
    )
    return [_application_out(a) for a in rows]


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationDetailOut, **error_responses(401, 404, 422)},
    url_name="funding_application",
)
def application_detail(request: HttpRequest, application_id: int) -> Any:
    a = selectors.application_get(actor=_me(request), pk=application_id, route=request.path)
    return _detail_out(a)


@router.post(
    "/calls/{call_id}/applications",
    response={201: ApplicationDetailOut, **error_responses(400, 401, 403, 404, 422)},
    url_name="funding_application_create",
)
@idempotent
def application_create(request: HttpRequest, call_id: int, data: ApplicationCreateIn) -> Any:
    """Start a draft in an open call with its plan, outputs, cost estimate and financing plan."""
    me = _me(request)
    call = selectors.call_get(actor=me, pk=call_id, route=request.path)
    with transaction.atomic():
        organisation = accounts.acting_organisation(user=me, permission=P.APPLY, chosen=data.organisation_id)
        application = services.application_create(actor=me, call=call, applicant=organisation, title=data.plan.title)
        application = _save(me, application, data)
    return Status(201, _detail_out(application))


@router.put(
    "/applications/{application_id}",
    response={200: ApplicationDetailOut, **error_responses(400, 401, 403, 404, 422)},
    url_name="funding_application_save",
)
def application_save(request: HttpRequest, application_id: int, data: ApplicationIn) -> Any:
    """Save the draft: everything or nothing. A plan that does not add up yet is kept as a draft."""
    me = _me(request)
    application = selectors.application_get_for_applicant(actor=me, pk=application_id, route=request.path)
    return _detail_out(_save(me, application, data))


@router.post(
    "/applications/{application_id}/submit",
    response={200: ApplicationDetailOut, **error_responses(400, 401, 403, 404, 422)},
    url_name="funding_application_submit",
)
@idempotent
def application_submit(request: HttpRequest, application_id: int) -> Any:
    """Submit before the call closes (the server's clock decides); the financing plan must equal the costs."""
    me = _me(request)
    application = selectors.application_get_for_applicant(actor=me, pk=application_id, route=request.path)
    return _detail_out(services.application_submit(actor=me, application=application))


# The money half (payments and their approval) has its own router.
from .api_money import router as money_router  # noqa: E402

router.add_router("", money_router)
