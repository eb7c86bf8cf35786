"""The money endpoints under /api/v1/funding/: a decision's payments, a payment request and its
approval, over the same services and gates as the pages. A payment request and an approval take the
``Idempotency-Key`` header (``core.idempotency``): the same request sent twice pays once; the
request's own ``idempotency_key`` field does the same without the header."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from osallisuus.core.api import error_responses
from osallisuus.core.http import AuthedRequest
from osallisuus.core.idempotency import idempotent

from .models import Payment
from .selectors import money as reads
from .services import payments as money

router = Router(tags=["funding"])
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)


class PaymentOut(Schema):
    id: int
    decision_id: int
    kind: str
    amount: Decimal
    status: str
    report_id: int | None
    paid_on: dt.date | None


class PaymentIn(Schema):
    kind: str
    amount: Decimal
    idempotency_key: str
    report_id: int | None = None


def _out(p: Payment) -> PaymentOut:
    return PaymentOut(
        id=p.pk,
        decision_id=p.decision_id,
        kind=p.kind,
        amount=p.amount,
        status=p.status,
        report_id=p.report_id,
        paid_on=p.paid_on,
    )


@router.get(
    "/decisions/{decision_id}/payments",
    response={200: list[PaymentOut], **error_responses(401, 404)},
    url_name="funding_decision_payments",
)
def decision_payments(request: AuthedRequest, decision_id: int) -> list[PaymentOut]:
    decision = reads.decision_money_get(actor=request.user, pk=decision_id, route=request.path)
    return [_out(p) for p in reads.decision_money(decision).payments]


@router.post(
    "/decisions/{decision_id}/payments",
    response={201: PaymentOut, **WRITE_ERRORS},
    url_name="funding_payment_request",
)
@idempotent
def payment_request(request: AuthedRequest, decision_id: int, payload: PaymentIn) -> Status[PaymentOut]:
    decision = reads.decision_money_get(actor=request.user, pk=decision_id, route=request.path)
    report = None
    if payload.report_id is not None:
        report = decision.application.reports.filter(pk=payload.report_id).first()
        if report is None:
            raise money.MoneyError(_("The report belongs to another project."), field="report_id")
    payment = money.payment_request(
        actor=request.user,
        decision=decision,
        kind=payload.kind,
        amount=payload.amount,
        idempotency_key=payload.idempotency_key,
        report=report,
    )
    return Status(201, _out(payment))


@router.post(
    "/payments/{payment_id}/approve",
    response={200: PaymentOut, **WRITE_ERRORS},
    url_name="funding_payment_approve",
)
@idempotent
def payment_approve(request: AuthedRequest, payment_id: int) -> PaymentOut:
    payment = reads.payment_get(actor=request.user, pk=payment_id, route=request.path)
    return _out(money.payment_approve(actor=request.user, payment=payment))
