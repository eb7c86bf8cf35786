"""The coordinator's report and the task feedback, read from the measurement engine as group
figures only (small groups hidden); each person sees only their own feedback status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from osallisuus.measurement import selectors as measurement_selectors
from osallisuus.measurement import services as measurement

from .. import fees
from ..feedback import FEEDBACK_INSTRUMENTS, FEEDBACK_MODULE, feedback_ref
from ..models import Agreement, ExpenseReport, TaskType
from ..permissions import broker_orgs, feedback_side

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

ZERO = Decimal("0")


@dataclass
class Report:
    year: int
    by_month: list[tuple[dt.date, int]]
    by_type: list[tuple[str, int]]
    fees_paid: Decimal
    expenses_paid: Decimal
    active_experts: int
    busiest_tenth_share: Decimal


def coordinator_report(*, actor: User, year: int) -> Report:
    """The year's figures in three aggregate queries over the year's agreements (by month and
    task type; by expert, with the fees; the approved expenses), however many tasks there are."""
    orgs = broker_orgs(actor)
    year_q = Q(request__broker_id__in=orgs, starts_at__year=year)
    binding_q = Q(status__in=[Agreement.Status.ACTIVE, Agreement.Status.DONE])
    earning_q = Q(fee_due=True, volunteer=False, fee__gt=0)
    months: dict[dt.date, int] = {}
    type_counts: dict[int, int] = {}
    for row in (
        Agreement.objects.filter(year_q & binding_q)
        .annotate(m=TruncMonth("starts_at"))
        .order_by()
        .values("m", "request__task_type_id")
        .annotate(n=Count("pk"))
    ):
        month = row["m"].date() if hasattr(row["m"], "date") else row["m"]
        months[month] = months.get(month, 0) + row["n"]
        type_counts[row["request__task_type_id"]] = type_counts.get(row["request__task_type_id"], 0) + row["n"]
    per_expert = list(
        Agreement.objects.filter(year_q & (binding_q | earning_q))
        .order_by()
        .values("expert_id")
        .annotate(n=Count("pk", filter=binding_q), fees=Sum("fee", filter=earning_q))
        .values_list("n", "fees")
    )
    expenses = (
        ExpenseReport.objects.filter(
            agreement__request__broker_id__in=orgs,
            agreement__starts_at__year=year,
            status=ExpenseReport.Status.APPROVED,
        ).aggregate(s=Sum("items__amount"))["s"]
        or ZERO
    )
    names = {t.pk: t.name for t in TaskType.objects.all()}  # in the reader's language
    counts = sorted((n for n, _fees in per_expert if n), reverse=True)
    fees_paid = sum((Decimal(str(fees)) for _n, fees in per_expert if fees), ZERO)
    total = sum(counts)
    tenth = max(1, len(counts) // 10) if counts else 0
    share = (Decimal(sum(counts[:tenth])) / Decimal(total) * 100).quantize(Decimal("0.1")) if total else ZERO
    return Report(
        year=year,
        by_month=sorted(months.items()),
        by_type=sorted(((names.get(pk, ""), n) for pk, n in type_counts.items()), key=lambda t: (-t[1], t[0])),
        # Sums of decimals come back from SQLite with float noise: money is shown in cents.
        fees_paid=fees.money(Decimal(fees_paid)),
        expenses_paid=fees.money(Decimal(expenses)),
        active_experts=len(counts),
        busiest_tenth_share=share,
    )


# -- task feedback (through the measurement engine) -------------------------------------------------


@dataclass
class FeedbackStatus:
    """The viewer's own feedback on one task: status and date, never a score."""

    side: str
    given_at: dt.datetime | None = None
    answers_id: int | None = None
    """The viewer's own sent answers (measurement's page for the respondent)."""
    in_progress: bool = False


def feedback_status(*, actor: User, agreement: Agreement) -> FeedbackStatus | None:
    """Whether the viewer, the expert or an orderer of the task, has given feedback on it
    (``None`` for everyone else). Read from the measurement engine: the viewer's own responses."""
    side = feedback_side(actor, agreement)
    if side is None:
        return None
    status = FeedbackStatus(side=side)
    for response in measurement_selectors.responses_for_context(
        respondent=actor, context_module=FEEDBACK_MODULE, context_ref=feedback_ref(agreement)
    ):
        if response.status == "submitted" and status.given_at is None:
            status.given_at, status.answers_id = response.submitted_at, response.pk
        elif response.status == "in_progress":
            status.in_progress = True
    return status


@dataclass
class FeedbackReport:
    side: str
    title: str
    report: Any
    """``osallisuus.measurement.reports.Report``: group figures, small groups hidden."""


def feedback_reports(*, actor: User, year: int) -> list[FeedbackReport]:
    """The orderers' and the experts' feedback sent in the year about the tasks the actor's
    organisations brokered, as group figures from the measurement engine: by quarter, the
    distribution of the mean, and each question's answers; every table suppressed on its own
    (``SUPPRESSION_MIN_CELL_SIZE``), never one person's answers."""
    titles = {"orderer": _("Orderers' feedback"), "expert": _("Experts' feedback")}
    found = []
    for side in ("orderer", "expert"):
        try:
            instrument = measurement.instrument_newest(code=FEEDBACK_INSTRUMENTS[side])
        except measurement.MeasurementError:
            continue
        report = measurement_selectors.breakdown_report(
            instrument=instrument,
            organisation_ids=broker_orgs(actor),
            dimension="quarter",
            threshold=settings.SUPPRESSION_MIN_CELL_SIZE,
            module=FEEDBACK_MODULE,
            since=dt.date(year, 1, 1),
            until=dt.date(year, 12, 31),
            with_items=True,
        )
        found.append(FeedbackReport(side=side, title=titles[side], report=report))
    return found


def report_sheet(*, report: Report, feedback: list[FeedbackReport]) -> list[list[Any]]:
    """The rows of the report's XLSX: the year's figures, then the feedback as group figures
    (hidden cells say so)."""
    rows: list[list[Any]] = [
        [_("Month"), _("Tasks")],
        *([date_format(d, "F Y"), n] for d, n in report.by_month),
        [],
        [_("Task type"), _("Tasks")],
        *([t, n] for t, n in report.by_type),
        [],
        [_("Fees"), report.fees_paid],
        [_("Expenses"), report.expenses_paid],
        [_("Experts with tasks"), report.active_experts],
        [_("Share of tasks going to the busiest tenth (%)"), report.busiest_tenth_share],
    ]
    for fb in feedback:
        rows.extend([[], [fb.title], *measurement_selectors.report_rows(fb.report)])
    return rows
