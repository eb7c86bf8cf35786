"""Reads of the money after a decision: who sees which decision's payments and loans, the gates, the
payment list and its XLSX.

A decision's money (its payments, reports and outputs) is seen by the funder's payment officers
(``funding.pay`` in the funder's organisation) and by the project: the applicant's staff with
``funding.apply`` and the application's own users. A loan is seen by the lender's payment officers
and the project. Anyone else gets the same 404 as for a decision that does not exist.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from osallisuus.core import formatting
from osallisuus.core.access import gate
from osallisuus.core.exports import safe_cell

from ..models import ZERO, Decision, Envelope, Funder, Loan, LoanInstalment, Output, Payment, Report
from ..permissions import P

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


def _project_q(user: User, prefix: str) -> Q:
    return Q(**{f"{prefix}applicant_id__in": user.permissions.organisations_with(P.APPLY)}) | Q(
        **{f"{prefix}users__user": user}
    )


def decisions_with_money_visible_to(user: User) -> QuerySet[Decision]:
    """Granted decisions whose payments the person may see (the funder's payers and the project)."""
    q = Q(funder__organisation_id__in=user.permissions.organisations_with(P.PAY)) | _project_q(user, "application__")
    ids = Decision.objects.filter(q, outcome=Decision.Outcome.GRANTED).values("pk")
    return Decision.objects.filter(pk__in=ids)


def payments_visible_to(user: User) -> QuerySet[Payment]:
    return Payment.objects.filter(decision__in=decisions_with_money_visible_to(user))


def loans_visible_to(user: User) -> QuerySet[Loan]:
    q = Q(lender_id__in=user.permissions.organisations_with(P.PAY)) | _project_q(user, "application__")
    return Loan.objects.filter(pk__in=Loan.objects.filter(q).values("pk"))


def decision_money_get(*, actor: User, pk: object, route: str = "") -> Decision:
    qs = decisions_with_money_visible_to(actor).select_related(
        "application__applicant", "application__call__programme", "funder__organisation", "envelope"
    )
    return gate(qs, pk=pk, actor=actor, purpose="funding payments", subject_of=lambda d: None, route=route)


def payment_get(*, actor: User, pk: object, route: str = "") -> Payment:
    qs = payments_visible_to(actor).select_related("decision__application", "decision__funder", "report")
    return gate(qs, pk=pk, actor=actor, purpose="funding payments", subject_of=lambda p: p.requested_by_id, route=route)


def output_get(*, actor: User, pk: object, route: str = "") -> Output:
    qs = Output.objects.filter(application__decisions__in=decisions_with_money_visible_to(actor)).distinct()
    return gate(qs, pk=pk, actor=actor, purpose="funding payments", subject_of=lambda o: None, route=route)


def loan_get(*, actor: User, pk: object, route: str = "") -> Loan:
    qs = loans_visible_to(actor).select_related("application__applicant", "lender")
    return gate(qs, pk=pk, actor=actor, purpose="funding loans", subject_of=lambda loan: None, route=route)


def instalment_get(*, actor: User, pk: object, route: str = "") -> LoanInstalment:
    qs = LoanInstalment.objects.filter(loan__in=loans_visible_to(actor)).select_related("loan")
    return gate(qs, pk=pk, actor=actor, purpose="funding loans", subject_of=lambda i: None, route=route)


@dataclass
class DecisionMoney:
    decision: Decision
    payments: list[Payment]
    outputs: list[Output]
    reports: list[Report]
    asked: Decimal
    paid: Decimal

    @property
    def not_asked(self) -> Decimal:
        return self.decision.amount - self.asked


def decision_money(decision: Decision) -> DecisionMoney:
    """A decision's payments, the outputs it names, the project's reports and the sums."""
    payments = list(decision.payments.select_related("report", "requested_by", "paid_by").order_by("created_at"))
    outputs = list(decision.outputs.select_related("reported_by", "verified_by").order_by("pk"))
    reports = list(Report.objects.filter(application_id=decision.application_id).order_by("-submitted_at"))
    asked = sum((p.amount for p in payments if p.status != Payment.Status.REJECTED), ZERO)
    paid = sum((p.amount for p in payments if p.status == Payment.Status.PAID), ZERO)
    return DecisionMoney(decision, payments, outputs, reports, asked, paid)


def payment_list(*, actor: User, funder_id: str = "", programme_id: str = "", status: str = "") -> QuerySet[Payment]:
    """The payments the person's funders pay (a payer's list), in one query with their project."""
    qs = Payment.objects.filter(
        decision__funder__organisation_id__in=actor.permissions.organisations_with(P.PAY)
    ).select_related(
        "decision__application__applicant",
        "decision__funder__organisation",
        "decision__application__call__programme",
    )
    if funder_id:
        qs = qs.filter(decision__funder_id=funder_id)
    if programme_id:
        qs = qs.filter(decision__application__call__programme_id=programme_id)
    if status:
        qs = qs.filter(status=status)
    return qs


def payer_funders(actor: User) -> list[Any]:
    """The funders (programme and share) whose payments the person approves, for the list's filter."""
    return list(
        Funder.objects.filter(organisation_id__in=actor.permissions.organisations_with(P.PAY))
        .select_related("programme", "organisation")
        .order_by("programme__name", "share")
    )


def payments_xlsx(payments: QuerySet[Payment]) -> bytes:
    """The payment list as XLSX: sums are numbers with the money format, so a Finnish reader sees ``1 234,56 €``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Payments")[:31]
    sheet.append(
        [
            _("Programme"),
            _("Funder"),
            _("Project"),
            _("Applicant"),
            _("Decision number"),
            _("Kind"),
            _("Status"),
            _("Requested"),
            _("Paid on"),
            _("Amount (€)"),
        ]
    )
    money_format = formatting.xlsx_number_format("money")
    total = ZERO
    for p in payments.iterator(chunk_size=500):
        app = p.decision.application
        sheet.append(
            [
                safe_cell(app.call.programme.name),
                safe_cell(p.decision.funder.organisation.name),
                safe_cell(app.title),
                safe_cell(app.applicant.name),
                safe_cell(p.decision.number),
                str(p.get_kind_display()),
                str(p.get_status_display()),
                timezone.localtime(p.created_at).date(),
                p.paid_on,
                p.amount,
            ]
        )
        row = sheet.max_row
        sheet.cell(row=row, column=8).number_format = formatting.xlsx_number_format("date")
        sheet.cell(row=row, column=9).number_format = formatting.xlsx_number_format("date")
        sheet.cell(row=row, column=10).number_format = money_format
        if p.status == Payment.Status.PAID:
            total += p.amount
    sheet.append([_("Paid in total"), "", "", "", "", "", "", "", "", total])
    sheet.cell(row=sheet.max_row, column=10).number_format = money_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class LoanRow:
    loan: Loan
    instalments: list[LoanInstalment]
    repaid: Decimal

    @property
    def balance(self) -> Decimal:
        return self.loan.amount - self.repaid


def loan_rows(loans: QuerySet[Loan]) -> list[LoanRow]:
    """Loans with their schedule and balance, in two queries."""
    rows = []
    for loan in loans.select_related("application__applicant", "lender").prefetch_related(
        Prefetch("instalments", queryset=LoanInstalment.objects.order_by("due_on"))
    ):
        instalments = list(loan.instalments.all())
        repaid = sum((i.amount for i in instalments if i.repaid_on is not None), ZERO)
        rows.append(LoanRow(loan, instalments, repaid))
    return rows


def envelope_totals(envelope: Envelope) -> dict[str, Decimal]:
    """The envelope's running totals checked against its decisions and payments (for the auditor)."""
    decided = envelope.decisions.filter(outcome=Decision.Outcome.GRANTED).aggregate(s=Sum("amount"))["s"] or ZERO
    paid = (
        Payment.objects.filter(decision__envelope=envelope, status=Payment.Status.PAID).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    return {"decided": decided, "paid": paid, "remaining": envelope.cap - envelope.decided}
