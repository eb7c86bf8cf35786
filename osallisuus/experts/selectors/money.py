"""Fees and expenses for the coordinator's payments page and exports, and the expert's fee
statement. Sums are shown in cents (SQLite returns decimal sums as floats)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet, Sum

from osallisuus.core.collation import finnish, search_filter

from .. import fees
from ..models import Agreement, ExpenseItem, ExpenseReport
from ..permissions import broker_orgs

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

ZERO = Decimal("0")


@dataclass
class PaymentRow:
    agreement: Agreement
    fee: Decimal
    taxable_expenses: Decimal
    tax_free_expenses: Decimal

    @property
    def total(self) -> Decimal:
        return self.fee + self.taxable_expenses + self.tax_free_expenses


PAYMENT_SORTS: dict[str, Any] = {
    "date": ("starts_at", "pk"),
    "expert": (finnish("expert__user__full_name"), "starts_at", "pk"),
    "fee": ("fee", "starts_at", "pk"),
}
PAYMENT_STATUSES = tuple(ExpenseReport.Status.values)


def payments_queryset(*, actor: User, year: int, status: str = "", query: str = "") -> QuerySet[Agreement]:
    """The year's tasks with a fee due or expenses, of the actor's brokering organisations,
    with the sums of their expenses; searched by expert or task, filtered by the expenses'
    status. Sorted and paged by the caller (``core.paging``)."""
    qs = (
        Agreement.objects.filter(request__broker_id__in=broker_orgs(actor), starts_at__year=year)
        .filter(Q(fee_due=True, fee__gt=0) | Q(expense_report__isnull=False))
        .select_related("expert__user", "request", "expense_report")
        .annotate(
            taxable=Sum("expense_report__items__amount", filter=Q(expense_report__items__taxable=True)),
            tax_free=Sum("expense_report__items__amount", filter=Q(expense_report__items__taxable=False)),
        )
        .order_by("starts_at", "pk")
    )
    if status in PAYMENT_STATUSES:
        qs = qs.filter(expense_report__status=status)
    if query:
        qs = qs.filter(search_filter(query, ["expert__user__full_name", "request__title"]))
    return qs


def payment_rows(agreements: Iterable[Agreement]) -> list[PaymentRow]:
    return [
        PaymentRow(
            agreement=a,
            fee=a.fee if a.fee_paid else ZERO,
            # Sums in cents: SQLite's decimal sums carry float noise into pages and exports.
            taxable_expenses=fees.money(Decimal(str(getattr(a, "taxable", None) or ZERO))),
            tax_free_expenses=fees.money(Decimal(str(getattr(a, "tax_free", None) or ZERO))),
        )
        for a in agreements
    ]


def payments_total(agreements: QuerySet[Agreement]) -> Decimal:
    """Fees paid plus expenses of these tasks, in two aggregate queries (not row by row)."""
    ids = agreements.order_by().values("pk")
    fee_sum = (
        Agreement.objects.filter(pk__in=ids, fee_due=True, volunteer=False, fee__gt=0).aggregate(s=Sum("fee"))["s"]
        or ZERO
    )
    expense_sum = ExpenseItem.objects.filter(report__agreement_id__in=ids).aggregate(s=Sum("amount"))["s"] or ZERO
    return fees.money(Decimal(str(fee_sum)) + Decimal(str(expense_sum)))


def payments(*, actor: User, year: int, status: str | None = None) -> list[PaymentRow]:
    """Fees due and expenses of the actor's brokering organisations, by task, in one year (the export)."""
    return payment_rows(payments_queryset(actor=actor, year=year, status=status or ""))


def reports_waiting(*, actor: User) -> QuerySet[ExpenseReport]:
    return (
        ExpenseReport.objects.filter(
            agreement__request__broker_id__in=broker_orgs(actor), status=ExpenseReport.Status.SUBMITTED
        )
        .select_related("agreement__expert__user", "agreement__request")
        .prefetch_related("items")
        .order_by("created_at", "pk")
    )


def fee_statement(*, user: User, year: int, month: int | None = None) -> list[Agreement]:
    qs = Agreement.objects.earning().filter(expert__user=user, starts_at__year=year)
    if month:
        qs = qs.filter(starts_at__month=month)
    return list(qs.select_related("request", "expert__organisation").order_by("starts_at", "pk"))
