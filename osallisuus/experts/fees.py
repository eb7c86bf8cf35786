"""Fee and expense computation: exact decimals from the schedule in force on the task date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.formats import localize
from django.utils.translation import gettext as _

from .models import ExpenseItem, FeeItem, FeeSchedule

CENT = Decimal("0.01")
MAX_KILOMETRES = Decimal("2000")


class FeeScheduleGap(Exception):
    """No fee schedule is in force on the task date."""


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def schedule_in_force(*, organisation_id: int, on: dt.date) -> FeeSchedule:
    schedule = (
        FeeSchedule.objects.filter(organisation_id=organisation_id, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from")
        .first()
    )
    if schedule is None:
        raise FeeScheduleGap(
            _("No fee schedule is in force on %(date)s. Ask the administrator to add one before agreeing.")
            % {"date": on.strftime("%d.%m.%Y")}
        )
    return schedule


def unit_amount(*, item: FeeItem, chosen: Decimal | None) -> Decimal:
    """The amount per unit for one task: the amount chosen within the item's range, or its
    lowest amount when none was chosen. Raises ValueError with the user's message."""
    if chosen is None:
        return item.amount
    chosen = money(chosen)
    high = item.max_amount if item.max_amount is not None else item.amount
    if chosen < item.amount or chosen > high:
        if high == item.amount:
            raise ValueError(_("This fee is fixed: %(amount)s €.") % {"amount": localize(item.amount)})
        raise ValueError(
            _("The fee must be between %(low)s and %(high)s €.")
            % {"low": localize(item.amount), "high": localize(high)}
        )
    return chosen


def fee_for(*, unit: str, amount: Decimal, duration_minutes: int, sessions: int = 1) -> Decimal:
    """The fee of one task. Hourly items are paid by the minute of the agreed duration;
    events, meetings, projects and packages (which include their preparation time) are fixed."""
    if unit == FeeItem.Unit.HOUR:
        per_session = money(amount * Decimal(duration_minutes) / Decimal(60))
    else:
        per_session = money(amount)
    if unit == FeeItem.Unit.PROJECT:
        return per_session
    return per_session * sessions


@dataclass(frozen=True)
class ExpenseLine:
    kind: str
    amount: Decimal
    kilometres: Decimal | None = None


@dataclass(frozen=True)
class ExpenseTotals:
    taxable: Decimal
    tax_free: Decimal
    km_allowance: Decimal
    allowance_days: int

    @property
    def total(self) -> Decimal:
        return self.taxable + self.tax_free


def km_amount(*, kilometres: Decimal, per_km: Decimal) -> Decimal:
    if kilometres < 0 or kilometres > MAX_KILOMETRES:
        raise ValueError(_("Kilometres must be between 0 and %(max)s.") % {"max": MAX_KILOMETRES})
    return money(kilometres * per_km)


def expense_totals(lines: Iterable[ExpenseLine], *, fee_paid: bool) -> ExpenseTotals:
    """Sum expense lines, keeping taxable and tax-free apart.

    Costs against receipts (tickets, meals, lodging) are reimbursements and tax-free.
    Kilometre and daily allowances are tax-free for a volunteer (income tax act 71 §)
    only when no fee is paid for the task; when a fee is paid they are kept as taxable
    here so the payroll can decide under the general rules.
    """
    taxable = Decimal("0")
    tax_free = Decimal("0")
    km_allowance = Decimal("0")
    days = 0
    for line in lines:
        amount = money(line.amount)
        allowance = line.kind in (ExpenseItem.Kind.KILOMETRES, ExpenseItem.Kind.DAILY_ALLOWANCE)
        if allowance and fee_paid:
            taxable += amount
        else:
            tax_free += amount
        if line.kind == ExpenseItem.Kind.KILOMETRES:
            km_allowance += amount
        if line.kind == ExpenseItem.Kind.DAILY_ALLOWANCE:
            days += 1
    return ExpenseTotals(taxable=taxable, tax_free=tax_free, km_allowance=km_allowance, allowance_days=days)
