"""Expenses: the expert reports them after the task, the coordinator approves or returns them.
Allowances are taxable when a fee is actually paid for the task (``Agreement.fee_paid``);
otherwise they are tax-free within the yearly volunteer caps (``earnings.volunteer_caps``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.core import events, formatting
from osallisuus.core.notifications import notify

from .. import earnings, fees, notices
from ..errors import ExpertsError, refuse_unless
from ..models import Agreement, ExpenseItem, ExpenseReport
from ..permissions import can_handle_expenses, can_report_expenses
from ._common import coordinators_of, lock_agreement

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

RECEIPT_TYPES = {"application/pdf": b"%PDF", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG"}
RECEIPT_MAX_BYTES = 5 * 1024 * 1024
ALLOWANCES = (ExpenseItem.Kind.KILOMETRES, ExpenseItem.Kind.DAILY_ALLOWANCE)


@dataclass
class ExpenseInput:
    kind: str
    amount: Decimal | None = None
    kilometres: Decimal | None = None
    receipt: Any = None
    description: str = ""


def receipt_check(upload: Any) -> None:
    if upload is None:
        return
    if upload.size > RECEIPT_MAX_BYTES:
        raise ExpertsError(_("The receipt is too large. The largest allowed size is 5 MB."))
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in RECEIPT_TYPES.values()):
        raise ExpertsError(_("The receipt must be a PDF, JPEG or PNG file."))


def expense_amounts(*, agreement: Agreement, lines: list[ExpenseInput]) -> list[tuple[ExpenseInput, Decimal]]:
    """Each line with its amount in euros (kilometres at the agreement's rate), checked."""
    items = []
    for line in lines:
        receipt_check(line.receipt)
        if line.kind == ExpenseItem.Kind.KILOMETRES:
            if line.kilometres is None:
                raise ExpertsError(_("Give the kilometres."), field="kilometres")
            try:
                amount = fees.km_amount(kilometres=line.kilometres, per_km=agreement.travel_per_km)
            except ValueError as exc:
                raise ExpertsError(str(exc), field="kilometres") from exc
            if agreement.schedule and line.kilometres > agreement.schedule.max_km_per_task:
                raise ExpertsError(
                    _("%(km)s km is more than the %(max)s km allowed for one task. Check the number.")
                    % {
                        "km": formatting.number(line.kilometres, 1),
                        "max": formatting.count(agreement.schedule.max_km_per_task),
                    },
                    field="kilometres",
                )
        else:
            if line.amount is None or line.amount < 0 or line.amount > Decimal("5000"):
                raise ExpertsError(_("Give an amount between %(range)s.") % {"range": formatting.money_range(0, 5000)})
            if (
                line.kind in (ExpenseItem.Kind.TICKET, ExpenseItem.Kind.LODGING, ExpenseItem.Kind.MEAL)
                and line.receipt is None
            ):
                raise ExpertsError(_("Attach the receipt for tickets, meals and lodging."))
            amount = fees.money(line.amount)
        items.append((line, amount))
    return items


def expenses_caps(*, agreement: Agreement, lines: list[ExpenseInput]) -> earnings.VolunteerCaps | None:
    """The tax-free volunteer caps with what these lines would add, before they are sent
    (``None`` when a fee is paid for the task). Lines that are not valid add nothing."""
    try:
        amounts = expense_amounts(agreement=agreement, lines=[line for line in lines if line.kind in ALLOWANCES])
    except ExpertsError:
        amounts = []
    return earnings.caps_for_agreement(agreement=agreement, lines=[(line.kind, amount) for line, amount in amounts])


@transaction.atomic
def expenses_submit(*, actor: User, agreement: Agreement, lines: list[ExpenseInput]) -> ExpenseReport:
    agreement = lock_agreement(actor, agreement)
    existing = ExpenseReport.objects.filter(agreement=agreement).first()
    refuse_unless(can_report_expenses(actor, agreement, existing))
    if not lines:
        raise ExpertsError(_("Add at least one expense."))
    items = expense_amounts(agreement=agreement, lines=lines)
    fee_paid = agreement.fee_paid
    totals = fees.expense_totals(
        [fees.ExpenseLine(kind=line.kind, amount=amount) for line, amount in items], fee_paid=fee_paid
    )
    report = existing or ExpenseReport(agreement=agreement)
    report.status = ExpenseReport.Status.SUBMITTED
    report.save()
    report.items.all().delete()
    for line, amount in items:
        item = ExpenseItem(
            report=report,
            kind=line.kind,
            kilometres=line.kilometres,
            amount=amount,
            taxable=fee_paid and line.kind in ALLOWANCES,
            description=line.description[:200],
        )
        if line.receipt is not None:
            item.receipt.save(line.receipt.name[-80:], line.receipt, save=False)
        item.full_clean()
        item.save()
    events.record(
        actor=actor, verb="experts.expenses.submitted", target=report, subject=actor, data={"total": str(totals.total)}
    )
    for coordinator in coordinators_of(agreement.request.broker_id):
        notify(
            user=coordinator,
            kind=notices.EXPENSES_TO_APPROVE,
            message=_("Expenses to approve: %(title)s"),
            params={"title": agreement.request.title},
            url=reverse("experts:payments"),
        )
    return report


@transaction.atomic
def expenses_approve(*, actor: User, report: ExpenseReport, approve: bool = True, note: str = "") -> ExpenseReport:
    report = (
        ExpenseReport.objects.select_for_update(of=("self",))
        .select_related("agreement__request", "agreement__expert__user")
        .get(pk=report.pk)
    )
    refuse_unless(can_handle_expenses(actor, report))
    report.status = ExpenseReport.Status.APPROVED if approve else ExpenseReport.Status.RETURNED
    report.note = note[:300]
    report.approved_by = actor if approve else None
    report.approved_at = timezone.now() if approve else None
    report.save()
    events.record(
        actor=actor,
        verb="experts.expenses.approved" if approve else "experts.expenses.returned",
        target=report,
        subject=report.agreement.expert.user,
    )
    notify(
        user=report.agreement.expert.user,
        kind=notices.EXPENSES_DECIDED,
        message=_("Your expenses were approved.") if approve else _("Your expenses were returned for correction."),
        url=reverse("experts:expenses", args=[report.agreement_id]),
    )
    return report
