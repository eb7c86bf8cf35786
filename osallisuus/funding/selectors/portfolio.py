"""The portfolio of a funder in a year: envelope use, the funded projects by theme and area, their
outputs planned and reached, the payments by kind, and the participants' inclusion as group
figures from the measurement engine (suppressed there, never under the platform's floor).

Portfolio figures are about organisations and public money, never about a person; people with
``funding.view_aggregates`` see them for every funder. Every figure is one SQL aggregate, so the
report costs the same number of queries for ten projects or a thousand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from osallisuus.core.suppression import threshold_for
from osallisuus.measurement import selectors as measurement

from ..models import ZERO, Application, Decision, Envelope, Funder, Output, Payment
from ..permissions import P

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

MODULE = "funding"


def may_see_portfolio(user: User) -> bool:
    return user.is_authenticated and user.permissions.has(P.VIEW_AGGREGATES)


def portfolio_funders(user: User) -> QuerySet[Funder]:
    if not may_see_portfolio(user):
        return Funder.objects.none()
    return Funder.objects.select_related("programme", "organisation").order_by("programme__name", "share")


@dataclass
class Row:
    label: str
    projects: int
    amount: Decimal
    width: float = 0.0


@dataclass
class OutputRow:
    unit: str
    outputs: int
    planned: Decimal
    reached: Decimal
    reached_outputs: int
    verified_outputs: int


@dataclass
class Inclusion:
    title: str
    n: int
    shown: bool
    mean: Decimal | None
    tables: list[Any]
    threshold: int
    too_small_message: str


@dataclass
class Portfolio:
    funder: Funder
    year: int
    envelope: Envelope | None
    projects: int
    granted: Decimal
    by_theme: list[Row]
    by_area: list[Row]
    outputs: list[OutputRow]
    payments: list[Row]
    inclusion: list[Inclusion] = field(default_factory=list)

    @property
    def use_bars(self) -> list[Row]:
        if self.envelope is None:
            return []
        rows = [
            Row(_("Decided"), self.projects, self.envelope.decided),
            Row(_("Paid"), 0, self.envelope.paid),
            Row(_("Remaining"), 0, self.envelope.remaining),
        ]
        return _widths(rows, top=self.envelope.cap)


def _widths(rows: list[Row], *, top: Decimal | None = None) -> list[Row]:
    biggest = top if top else max((r.amount for r in rows), default=ZERO)
    for r in rows:
        r.width = round(float(100 * r.amount / biggest), 1) if biggest else 0.0
    return rows


def _by_theme_and_area(decisions: QuerySet[Decision]) -> tuple[list[Row], list[Row]]:
    """Projects and money by theme and by area from one grouped query (a project has one theme and
    one area, and one decision per funder, so the cells add up to each margin exactly)."""
    cells = (
        decisions.order_by()
        .values_list("application__theme", "application__area")
        .annotate(projects=Count("application_id"), total=Sum("amount"))
    )
    themes: dict[str, Row] = {}
    areas: dict[str, Row] = {}
    for theme, area, projects, total in cells:
        for key, margins, empty in ((theme, themes, _("Theme not given")), (area, areas, _("Area not given"))):
            row = margins.setdefault(key or "", Row(key or empty, 0, ZERO))
            row.projects += projects
            row.amount += total or ZERO
    ordered = [_widths([m[k] for k in sorted(m)]) for m in (themes, areas)]
    return ordered[0], ordered[1]


def granted_decisions(funder: Funder, year: int) -> QuerySet[Decision]:
    return Decision.objects.filter(funder=funder, envelope__year=year, outcome=Decision.Outcome.GRANTED)


def portfolio(*, funder: Funder, year: int, with_inclusion: bool = True) -> Portfolio:
    decisions = granted_decisions(funder, year)
    envelope = next(iter(Envelope.objects.filter(funder=funder, year=year).order_by()[:1]), None)
    by_theme, by_area = _by_theme_and_area(decisions)
    outputs = (
        Output.objects.filter(
            application__decisions__funder=funder,
            application__decisions__envelope__year=year,
            application__decisions__outcome=Decision.Outcome.GRANTED,
        )
        .values("unit")
        .annotate(
            outputs=Count("id"),
            planned=Sum("target"),
            reached_sum=Sum("reached"),
            reached_outputs=Count("id", filter=Q(reached__isnull=False, reached__gte=F("target"))),
            verified_outputs=Count("id", filter=Q(verified_at__isnull=False)),
        )
        .order_by("unit")
    )
    payments = (
        Payment.objects.filter(
            decision__funder=funder,
            decision__envelope__year=year,
            decision__outcome=Decision.Outcome.GRANTED,
            status=Payment.Status.PAID,
        )
        .values("kind")
        .annotate(projects=Count("decision__application_id", distinct=True), total=Sum("amount"))
        .order_by("kind")
    )
    kinds = dict(Payment.Kind.choices)
    result = Portfolio(
        funder=funder,
        year=year,
        envelope=envelope,
        # One decision per funder and application, and one theme per application: the theme rows
        # add up to the totals without a query of their own.
        projects=sum((r.projects for r in by_theme), 0),
        granted=sum((r.amount for r in by_theme), ZERO),
        by_theme=by_theme,
        by_area=by_area,
        outputs=[
            OutputRow(
                o["unit"] or "–",
                o["outputs"],
                o["planned"] or ZERO,
                o["reached_sum"] or ZERO,
                o["reached_outputs"],
                o["verified_outputs"],
            )
            for o in outputs
        ],
        payments=_widths(
            [Row(str(kinds.get(p["kind"], p["kind"])), p["projects"], p["total"] or ZERO) for p in payments]
        ),
    )
    if with_inclusion:
        result.inclusion = inclusion(decisions)
    return result


def inclusion(decisions: QuerySet[Decision]) -> list[Inclusion]:
    """The funded projects' participants' answers (rounds linked to a project by
    ``context_module="funding"`` and the application's id), by project: group figures only."""
    projects = dict(Application.objects.filter(pk__in=decisions.values("application_id")).values_list("pk", "title"))
    applicants = set(
        Application.objects.filter(pk__in=decisions.values("application_id")).values_list("applicant_id", flat=True)
    )
    if not applicants:
        return []
    found: list[Inclusion] = []
    for instrument in measurement.scored_questionnaires():
        report = measurement.breakdown_report(
            instrument=instrument,
            organisation_ids=applicants,
            dimension="activity",
            threshold=threshold_for(None),
            module=MODULE,
        )
        if report.n == 0:
            continue
        for j, table in enumerate(report.tables):
            setattr(table, "dom_id", f"inclusion-{len(found)}-{j}")  # noqa: B010 - one page shows several reports
            for cell in table.cells:
                if cell.label.isdigit() and int(cell.label) in projects:
                    cell.label = projects[int(cell.label)]
        found.append(
            Inclusion(
                title=report.title,
                n=report.n,
                shown=report.shown,
                mean=report.mean,
                tables=report.tables,
                threshold=report.threshold,
                too_small_message=report.too_small_message,
            )
        )
    return found


def years_of(funder: Funder) -> list[int]:
    return sorted(set(Envelope.objects.filter(funder=funder).values_list("year", flat=True)), reverse=True)
