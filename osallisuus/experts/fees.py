"""Fee and expense computation: exact decimals from the schedule in force on the task date,
and the cancellation-fee rule (``fee_due``): whether the agreed fee is paid after the task."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from osallisuus.core import formatting

from .errors import ExpertsError
from .models import Agreement, ExpenseItem, FeeItem, FeeSchedule

CENT = Decimal("0.01")
MAX_KILOMETRES = Decimal("2000")


class FeeScheduleGap(ExpertsError):
    """No fee schedule is in force on the task date (or it has no fee for the task)."""


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
            % {"date": formatting.date(on)}
        )
    return schedule


def suggested_fee_item_code(*, asks_fee: bool, chosen: str, preferred: list[str], available: list[str]) -> str:
    """Where the coordinator's fee choice starts: what the orderer asked for. A request for
    a fee starts from the item already chosen, else the item of the task type, else the first
    of the schedule; a request for expenses only (or volunteering) starts from "no fee"."""
    if not asks_fee:
        return ""
    for code in (chosen, *preferred, *available):
        if code and code in available:
            return code
    return ""


def unit_amount(*, item: FeeItem, chosen: Decimal | None) -> Decimal:
    """The amount per unit for one task: the amount chosen within the item's range, or its
    lowest amount when none was chosen. Raises ValueError with the user's message."""
    if chosen is None:
        return item.amount
    chosen = money(chosen)
    high = item.max_amount if item.max_amount is not None else item.amount
    if chosen < item.amount or chosen > high:
        if high == item.amount:
            raise ValueError(_("This fee is fixed: %(amount)s.") % {"amount": formatting.money(item.amount)})
        raise ValueError(_("The fee must be between %(range)s.") % {"range": formatting.money_range(item.amount, high)})
    return chosen


# -- the cancellation-fee rule -----------------------------------------------------------------------

DONE = "done"
NO_SHOW = "no_show"
CANCELLED = "cancelled"
OUTCOMES = (DONE, NO_SHOW, CANCELLED)


def cancellation_is_late(*, starts_at: dt.datetime, free_cancellation_hours: int, at: dt.datetime) -> bool:
    """Later than the free cancellation hours before the start."""
    return at > starts_at - dt.timedelta(hours=free_cancellation_hours)


def fee_due(
    *,
    fee: Decimal,
    volunteer: bool,
    outcome: str,
    starts_at: dt.datetime,
    free_cancellation_hours: int,
    fee_due_on_no_show: bool,
    at: dt.datetime,
    cancelled_by_expert: bool = False,
) -> bool:
    """Whether the agreed fee is paid after the task's outcome (the one rule; the agreement
    keeps the schedule's figures from the day it was made).

    * No fee, or volunteer mode: never.
    * The task took place: due.
    * The client did not turn up: due when the schedule says so (``fee_due_on_no_show``).
    * Cancelled: free until ``free_cancellation_hours`` before the start; later, the fee stays
      due, unless the expert cancelled (an expert who withdraws is not paid).
    """
    if fee <= 0 or volunteer:
        return False
    if outcome == DONE:
        return True
    if outcome == NO_SHOW:
        return fee_due_on_no_show
    if outcome == CANCELLED:
        late = cancellation_is_late(starts_at=starts_at, free_cancellation_hours=free_cancellation_hours, at=at)
        return late and not cancelled_by_expert
    raise ValueError(f"Unknown outcome {outcome!r}")


def agreement_fee_due(
    agreement: Agreement, *, outcome: str, at: dt.datetime, cancelled_by_expert: bool = False
) -> bool:
    """``fee_due`` with the agreement's own terms."""
    return fee_due(
        fee=agreement.fee,
        volunteer=agreement.volunteer,
        outcome=outcome,
        starts_at=agreement.starts_at,
        free_cancellation_hours=agreement.free_cancellation_hours,
        fee_due_on_no_show=agreement.fee_due_on_no_show,
        at=at,
        cancelled_by_expert=cancelled_by_expert,
    )


def late_cancellation_keeps_fee(agreement: Agreement, *, at: dt.datetime) -> bool:
    """What the agreement page warns about: cancelling now by the orderer or the coordinator
    would keep the fee due."""
    return agreement_fee_due(agreement, outcome=CANCELLED, at=at)


def cancellation_terms(*, free_cancellation_hours: int, fee_due_on_no_show: bool) -> list[str]:
    """The cancellation rule in the words of the agreement's terms."""
    lines = [
        _("Free cancellation until %(hours)d hours before the start. After that the fee is due.")
        % {"hours": free_cancellation_hours}
    ]
    if fee_due_on_no_show:
        lines.append(_("The fee is also due when the client does not turn up."))
    lines.append(_("A task can be moved to another time by agreement."))
    return lines


def terms_lines(
    *,
    fee: Decimal | None,
    travel_per_km: Decimal,
    free_cancellation_hours: int,
    fee_due_on_no_show: bool,
    included_hours: Decimal | None = None,
) -> list[str]:
    """The terms of a task in the reader's language, made from the figures the agreement keeps
    (``fee`` ``None`` when no fee is paid). Pages, PDFs and calendar files call this when they
    are shown, so a Swedish reader reads Swedish terms of the same agreement."""
    lines = [
        _("Fee: %(fee)s.") % {"fee": formatting.money(fee)} if fee is not None else _("No fee: costs are paid."),
        _("Travel: %(rate)s; tickets, meals and lodging against receipts.")
        % {"rate": formatting.money_rate(travel_per_km, "km")},
        *cancellation_terms(free_cancellation_hours=free_cancellation_hours, fee_due_on_no_show=fee_due_on_no_show),
    ]
    if included_hours:
        lines.append(
            _("The fee includes %(hours)s hours of preparation with the professional.")
            % {"hours": formatting.number(included_hours, 0 if included_hours == int(included_hours) else 1)}
        )
    return [str(line) for line in lines]


def agreement_terms(agreement: Agreement) -> list[str]:
    """An agreement's terms in the reader's language, from its own figures (not the text kept
    when it was made, which is the record in the language of that moment)."""
    item = agreement.fee_item
    return terms_lines(
        fee=agreement.fee if agreement.fee > 0 and not agreement.volunteer else None,
        travel_per_km=agreement.travel_per_km,
        free_cancellation_hours=agreement.free_cancellation_hours,
        fee_due_on_no_show=agreement.fee_due_on_no_show,
        included_hours=item.included_hours if item is not None else None,
    )


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
        raise ValueError(_("Kilometres must be between 0 and %(max)s.") % {"max": formatting.number(MAX_KILOMETRES)})
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
