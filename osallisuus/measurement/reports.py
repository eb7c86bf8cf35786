"""Group reports: SQL aggregates over sent responses, with small-cell suppression.

Every report is built from aggregates (n, mean, counts); no individual score leaves the
database through here. Every figure goes through ``core.suppression`` with the report's
threshold, which is never under the platform's floor (``threshold_for``): each table is a vector
with a published total (complementary suppression; an empty cell shows 0), and the figures of a
hidden cell (its mean, its share) are replaced by ``None``. Change between rounds protects the
people who answered only one of the two rounds the same way (``change_report``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, F, QuerySet
from django.db.models.functions import Floor, TruncQuarter
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from osallisuus.core import formatting
from osallisuus.core.suppression import suppress, threshold_for

from .models import Answer, Instrument, Item, Response, Round, in_language

BINS = 10


@dataclass
class Cell:
    label: str
    n: int | None
    mean: Decimal | None = None
    share: Decimal | None = None
    shown: bool = True


@dataclass
class Table:
    title: str
    cells: list[Cell]
    total: int | None
    caption: str = ""
    shows_mean: bool = False

    @property
    def any_hidden(self) -> bool:
        return any(not c.shown for c in self.cells)

    @property
    def bars(self) -> list[dict[str, Any]]:
        """Bar lengths in percent of the largest shown cell, for the chart."""
        top = max((c.n or 0 for c in self.cells if c.shown), default=0)
        return [
            {"label": c.label, "n": c.n, "shown": c.shown, "width": round(100 * (c.n or 0) / top, 1) if top else 0}
            for c in self.cells
        ]


@dataclass
class Report:
    title: str
    instrument: Instrument
    threshold: int
    n: int
    shown: bool
    mean: Decimal | None
    invited: int | None = None
    tables: list[Table] = field(default_factory=list)

    @property
    def too_small_message(self) -> str:
        return _(
            "Fewer than %(threshold)d people have answered, so no figures are shown. "
            "This protects the privacy of the people who answered."
        ) % {"threshold": self.threshold}


def _round1(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _share(n: int, total: int) -> Decimal:
    return (Decimal(n) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if total else Decimal(0)


def _table(
    title: str, rows: list[tuple[str, int, Any]], *, total: int, threshold: int, shows_mean: bool = False
) -> Table:
    decision = suppress([n for _label, n, _mean in rows], threshold=threshold)
    cells = []
    for index, (label, n, mean) in enumerate(rows):
        if decision.shown(index):
            cells.append(Cell(label, n, _round1(mean) if shows_mean else None, _share(n, total)))
        else:
            cells.append(Cell(label, None, None, None, shown=False))
    return Table(title, cells, total if decision.total_shown else None, shows_mean=shows_mean)


def responses_for_report(*, organisation_ids: Iterable[int]) -> QuerySet[Response]:
    return Response.objects.submitted().filter(organisation_id__in=list(organisation_ids))


def _score_tables(instrument: Instrument, qs: QuerySet[Response], total: int, threshold: int) -> list[Table]:
    tables = []
    if instrument.is_scored and instrument.score_min is not None and instrument.score_max is not None:
        low, high = Decimal(instrument.score_min), Decimal(instrument.score_max)
        width = (high - low) / BINS
        counts = dict.fromkeys(range(BINS), 0)
        for row in (
            qs.filter(score__isnull=False)
            .annotate(bin=Floor((F("score") - low) / width))
            .values("bin")
            .annotate(n=Count("id"))
            .order_by()
        ):
            index = min(max(int(row["bin"]), 0), BINS - 1)
            counts[index] += row["n"]
        rows = []
        for index in range(BINS):
            a = low + width * index
            b = a + width
            rows.append((_score_range(a, b), counts[index], None))
        tables.append(_table(_("Distribution of scores"), rows, total=total, threshold=threshold))
        if instrument.bands:
            band_counts = {r["band"]: r["n"] for r in qs.values("band").annotate(n=Count("id")).order_by()}
            rows = [(in_language(b["label"]), band_counts.get(b["code"], 0), None) for b in instrument.bands]
            tables.append(_table(_("Share in each band"), rows, total=total, threshold=threshold))
    return tables


def _score_range(low: Decimal, high: Decimal) -> str:
    """A band of scores in the reader's way: ``1,4–1,8`` (fi, sv), ``1.4–1.8`` (en); ``0–10``
    when both ends are whole."""
    ends = [value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) for value in (low, high)]
    whole = all(value == value.to_integral_value() for value in ends)
    return formatting.number_range(ends[0], ends[1], 0 if whole else 1)


def _item_tables(instrument: Instrument, qs: QuerySet[Response], threshold: int) -> list[Table]:
    items = [i for i in Item.objects.filter(instrument=instrument).order_by("order") if i.kind == Item.Kind.CHOICE]
    counts: dict[tuple[int, int], int] = {}
    for row in (
        Answer.objects.filter(response__in=qs.values("pk"), value__isnull=False)
        .values("item_id", "value")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[(row["item_id"], row["value"])] = row["n"]
    tables = []
    for item in items:
        points = instrument.scale(item.scale)["points"]
        rows = [(in_language(p["label"]), counts.get((item.pk, p["value"]), 0), None) for p in points]
        answered = sum(n for _label, n, _mean in rows)
        table = _table(item.display_text, rows, total=answered, threshold=threshold)
        tables.append(table)
    return tables


def round_report(*, round: Round, with_items: bool = True) -> Report:
    instrument = round.instrument
    threshold = threshold_for(round.min_cell_size)
    qs = Response.objects.submitted().filter(round=round)
    agg = qs.aggregate(n=Count("id"), mean=Avg("score"))
    n = agg["n"] or 0
    report = Report(
        title=round.name,
        instrument=instrument,
        threshold=threshold,
        n=n,
        shown=n >= threshold,
        mean=_round1(agg["mean"]) if n >= threshold else None,
        invited=round.invitations.count(),
    )
    if not report.shown:
        return report
    report.tables.extend(_score_tables(instrument, qs, n, threshold))
    areas = [
        (r["area"] or _("Area not known"), r["n"], r["mean"])
        for r in qs.values("area").annotate(n=Count("id"), mean=Avg("score")).order_by("area")
    ]
    if len(areas) > 1:
        report.tables.append(_table(_("By area"), areas, total=n, threshold=threshold, shows_mean=instrument.is_scored))
    if with_items:
        report.tables.extend(_item_tables(instrument, qs, threshold))
    return report


DIMENSIONS = ("round", "module", "activity", "area", "quarter")


def breakdown_report(
    *,
    instrument: Instrument,
    organisation_ids: Iterable[int],
    dimension: str,
    threshold: int,
    module: str = "",
    area: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    with_items: bool = False,
) -> Report:
    """Sent responses of an instrument in the given organisations, by round, module, activity (the
    module's reference, e.g. an activation activity), area or quarter; ``with_items`` adds each
    item's answer distribution (each table suppressed on its own). ``threshold`` is raised to the
    platform's floor if it is under it."""
    threshold = threshold_for(threshold)
    qs = responses_for_report(organisation_ids=organisation_ids).filter(instrument=instrument)
    if module:
        qs = qs.filter(context_module=module)
    if area:
        qs = qs.filter(area=area)
    if since:
        qs = qs.filter(submitted_at__date__gte=since)
    if until:
        qs = qs.filter(submitted_at__date__lte=until)
    agg = qs.aggregate(n=Count("id"), mean=Avg("score"))
    n = agg["n"] or 0
    report = Report(
        title=instrument.display_name,
        instrument=instrument,
        threshold=threshold,
        n=n,
        shown=n >= threshold,
        mean=_round1(agg["mean"]) if n >= threshold else None,
    )
    if not report.shown:
        return report
    if dimension == "round":
        names = dict(Round.objects.filter(responses__in=qs).values_list("pk", "name").distinct())
        grouped = qs.values("round_id").annotate(n=Count("id"), mean=Avg("score")).order_by("round_id")
        rows = [(names.get(r["round_id"]) or _("Outside rounds"), r["n"], r["mean"]) for r in grouped]
        title = _("By round")
    elif dimension == "module":
        grouped = qs.values("context_module").annotate(n=Count("id"), mean=Avg("score")).order_by("context_module")
        rows = [(r["context_module"] or _("No module"), r["n"], r["mean"]) for r in grouped]
        title = _("By module")
    elif dimension == "activity":
        grouped = qs.values("context_ref").annotate(n=Count("id"), mean=Avg("score")).order_by("context_ref")
        rows = [(r["context_ref"] or _("No activity"), r["n"], r["mean"]) for r in grouped]
        title = _("By activity")
    elif dimension == "quarter":
        grouped = (
            qs.annotate(quarter=TruncQuarter("submitted_at"))
            .values("quarter")
            .annotate(n=Count("id"), mean=Avg("score"))
            .order_by("quarter")
        )
        rows = [(f"{r['quarter']:%Y} Q{(r['quarter'].month - 1) // 3 + 1}", r["n"], r["mean"]) for r in grouped]
        title = _("By quarter")
    else:
        grouped = qs.values("area").annotate(n=Count("id"), mean=Avg("score")).order_by("area")
        rows = [(r["area"] or _("Area not known"), r["n"], r["mean"]) for r in grouped]
        title = _("By area")
    report.tables.append(_table(title, rows, total=n, threshold=threshold, shows_mean=instrument.is_scored))
    report.tables.extend(_score_tables(instrument, qs, n, threshold))
    if with_items:
        report.tables.extend(_item_tables(instrument, qs, threshold))
    return report


@dataclass
class Change:
    first: Round
    second: Round
    threshold: int
    first_n: int
    second_n: int
    first_mean: Decimal | None
    second_mean: Decimal | None
    unpaired_difference: Decimal | None
    paired_n: int | None
    paired_first_mean: Decimal | None
    paired_second_mean: Decimal | None
    paired_difference: Decimal | None

    @property
    def first_shown(self) -> bool:
        return self.first_n >= self.threshold

    @property
    def second_shown(self) -> bool:
        return self.second_n >= self.threshold

    @property
    def paired_shown(self) -> bool:
        return self.paired_n is not None


def paired_shown(*, paired: int, totals: Iterable[int], threshold: int) -> bool:
    """May the paired figures be shown beside rounds of these sizes? Each round is the paired
    people plus those who answered only that round, with its count and mean published."""
    return paired >= threshold and all(
        suppress([paired, total - paired], threshold=threshold).shown(0) for total in totals
    )


def change_report(*, first: Round, second: Round) -> Change:
    """Change between two rounds of the same group: everyone who answered (unpaired), and
    separately the people who answered both rounds (paired).

    Each round's respondents are the paired people plus those who answered only that round, and
    both rounds' counts and means are published. So the paired figures are shown only when, in
    each round, ``suppress([paired, only this round])`` shows them: otherwise one person who
    answered only one round could be worked out from the two means (n·mean − n'·mean')."""
    threshold = threshold_for(max(first.min_cell_size, second.min_cell_size))
    a = Response.objects.submitted().filter(round=first).aggregate(n=Count("id"), mean=Avg("score"))
    b = Response.objects.submitted().filter(round=second).aggregate(n=Count("id"), mean=Avg("score"))
    first_shown, second_shown = a["n"] >= threshold, b["n"] >= threshold
    first_mean = _round1(a["mean"]) if first_shown else None
    second_mean = _round1(b["mean"]) if second_shown else None
    both = (
        Response.objects.submitted()
        .filter(round=second, respondent__isnull=False)
        .filter(
            respondent__in=Response.objects.submitted()
            .filter(round=first, respondent__isnull=False)
            .values("respondent")
        )
    )
    paired_ids = both.values("respondent")
    paired_n = both.count()
    paired_ok = paired_shown(paired=paired_n, totals=(a["n"], b["n"]), threshold=threshold)
    pa = pb = None
    if paired_ok:
        pa = (
            Response.objects.submitted()
            .filter(round=first, respondent__in=paired_ids)
            .aggregate(mean=Avg("score"))["mean"]
        )
        pb = both.aggregate(mean=Avg("score"))["mean"]
    return Change(
        first=first,
        second=second,
        threshold=threshold,
        first_n=a["n"],
        second_n=b["n"],
        first_mean=first_mean,
        second_mean=second_mean,
        unpaired_difference=_round1(Decimal(str(b["mean"])) - Decimal(str(a["mean"])))
        if first_mean is not None and second_mean is not None
        else None,
        paired_n=paired_n if paired_ok else None,
        paired_first_mean=_round1(pa) if paired_ok else None,
        paired_second_mean=_round1(pb) if paired_ok else None,
        paired_difference=_round1(Decimal(str(pb)) - Decimal(str(pa)))
        if paired_ok and pa is not None and pb is not None
        else None,
    )


def report_rows(report: Report) -> list[list[Any]]:
    """The aggregates as rows for CSV and XLSX: hidden cells say so, never a number."""
    hidden = _("hidden (fewer than %(threshold)d)") % {"threshold": report.threshold}
    rows: list[list[Any]] = [
        [
            _("Table"),
            pgettext("a group of people", "Group"),
            _("Number of people"),
            _("Share %"),
            pgettext("average of scores", "Mean"),
        ]
    ]
    if not report.shown:
        rows.append([report.title, pgettext("all the people who answered", "All"), hidden, "", ""])
        return rows
    rows.append(
        [
            report.title,
            pgettext("all the people who answered", "All"),
            report.n,
            100,
            report.mean if report.instrument.is_scored else "",
        ]
    )
    for table in report.tables:
        for cell in table.cells:
            if cell.shown:
                rows.append([table.title, cell.label, cell.n, cell.share, cell.mean if table.shows_mean else ""])
            else:
                rows.append([table.title, cell.label, hidden, "", ""])
    return rows
