"""The earnings-limit check: what a paid task does to the expert's month, year and run of
months over their own limits, and the tax-free volunteer caps. It informs; it decides nothing.

``evaluate`` is pure (tested with Hypothesis); ``check_for`` gathers the sums from the
database: fees of agreements that count as earnings (not volunteer mode, fee due).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from osallisuus.core import formatting

from .fees import money
from .models import Agreement, EarningsLimit, ExpenseItem, ExpenseReport, Expert, ReferenceFigure

ZERO = Decimal("0")
Month = tuple[int, int]


@dataclass(frozen=True)
class LimitSpec:
    kind: str
    amount: Decimal
    period: str  # "month" or "year"
    consecutive_months: int | None = None
    source: str = ""


@dataclass
class LimitResult:
    limit: LimitSpec
    before: Decimal
    after: Decimal
    run_after: int = 0
    crosses: bool = False
    over: bool = False
    run_reached: bool = False

    @property
    def flagged(self) -> bool:
        return self.over or self.run_reached

    @property
    def message(self) -> str:
        amount = formatting.money(self.limit.amount)
        if self.run_reached:
            return _(
                "%(kind)s: with this task you would be over %(amount)s for %(run)s months in a row "
                "(%(after)s this month)."
            ) % {
                "kind": self.limit.kind,
                "amount": amount,
                "run": formatting.count(self.run_after),
                "after": formatting.money(self.after),
            }
        if self.over:
            period = _("this month") if self.limit.period == "month" else _("this year")
            return _(
                "%(kind)s: with this task your fees %(period)s would be %(after)s, over the limit of %(amount)s "
                "(now %(before)s)."
            ) % {
                "kind": self.limit.kind,
                "period": period,
                "after": formatting.money(self.after),
                "amount": amount,
                "before": formatting.money(self.before),
            }
        return _("%(kind)s: %(after)s of %(amount)s, within the limit.") % {
            "kind": self.limit.kind,
            "after": formatting.money(self.after),
            "amount": amount,
        }


@dataclass
class EarningsCheck:
    adding: Decimal
    month_before: Decimal
    year_before: Decimal
    results: list[LimitResult] = field(default_factory=list)
    volunteer: bool = False

    @property
    def flagged(self) -> bool:
        return any(r.flagged for r in self.results)

    @property
    def month_after(self) -> Decimal:
        return self.month_before + self.adding

    @property
    def year_after(self) -> Decimal:
        return self.year_before + self.adding


def _shift(month: Month, delta: int) -> Month:
    index = month[0] * 12 + (month[1] - 1) + delta
    return index // 12, index % 12 + 1


def evaluate(
    *, limits: list[LimitSpec], monthly: dict[Month, Decimal], adding: Decimal, on: dt.date, volunteer: bool = False
) -> EarningsCheck:
    """What adding ``adding`` € of fees on ``on`` does to each limit. Volunteer mode adds nothing."""
    adding = ZERO if volunteer else adding
    month: Month = (on.year, on.month)
    month_before = monthly.get(month, ZERO)
    year_before = sum((v for (y, _m), v in monthly.items() if y == on.year), ZERO)
    check = EarningsCheck(adding=adding, month_before=month_before, year_before=year_before, volunteer=volunteer)
    for limit in limits:
        if limit.period == "year":
            before, after = year_before, year_before + adding
        else:
            before, after = month_before, month_before + adding
        result = LimitResult(limit=limit, before=before, after=after)
        result.crosses = before <= limit.amount < after
        result.over = adding > 0 and after > limit.amount
        if limit.period == "month" and limit.consecutive_months and after > limit.amount:
            run = 1
            for direction in (-1, 1):
                step = direction
                while monthly.get(_shift(month, step), ZERO) > limit.amount:
                    run += 1
                    step += direction
            result.run_after = run
            result.run_reached = adding > 0 and run >= limit.consecutive_months
        check.results.append(result)
    return check


def monthly_earnings(*, expert: Expert, year: int, exclude_agreement_id: int | None = None) -> dict[Month, Decimal]:
    """Fees earned or agreed per month from December of the previous year to January of the next."""
    helsinki = timezone.get_current_timezone()
    start = dt.datetime(year - 1, 12, 1, tzinfo=helsinki)
    end = dt.datetime(year + 1, 2, 1, tzinfo=helsinki)
    qs = Agreement.objects.earning().filter(expert__user_id=expert.user_id, starts_at__gte=start, starts_at__lt=end)
    if exclude_agreement_id:
        qs = qs.exclude(pk=exclude_agreement_id)
    rows = (
        qs.annotate(y=ExtractYear("starts_at"), m=ExtractMonth("starts_at")).values("y", "m").annotate(total=Sum("fee"))
    )
    # In cents: SQLite sums decimals as floats (15 significant digits), PostgreSQL exactly.
    return {(r["y"], r["m"]): money(Decimal(r["total"] or ZERO)) for r in rows}


def limits_for(*, expert: Expert, on: dt.date) -> list[LimitSpec]:
    rows = EarningsLimit.objects.filter(expert__user_id=expert.user_id, valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )
    return [
        LimitSpec(
            kind=r.kind, amount=r.amount, period=r.period, consecutive_months=r.consecutive_months, source=r.source
        )
        for r in rows
    ]


def check_for(*, expert: Expert, adding: Decimal, on: dt.date, volunteer: bool = False) -> EarningsCheck:
    """The check shown before a paid task is accepted (2 queries)."""
    return evaluate(
        limits=limits_for(expert=expert, on=on),
        monthly=monthly_earnings(expert=expert, year=on.year),
        adding=adding,
        on=on,
        volunteer=volunteer,
    )


# -- tax-free volunteer caps -------------------------------------------------------------------
# A volunteer may be paid tax-free daily allowances for at most 20 days and kilometre
# allowances of at most 3,000 € a year by one paying organisation (income tax act 71 §; the
# figures are ReferenceFigure rows). They are tax-free only for a task for which no fee is
# actually paid (``Agreement.fee_paid``): expenses-only tasks, volunteer mode, a no-show or a
# cancellation without a fee due. The check informs the expert and the coordinator before the
# expenses are sent and approved; it decides nothing.

ALLOWANCE_KINDS = (ExpenseItem.Kind.KILOMETRES, ExpenseItem.Kind.DAILY_ALLOWANCE)


@dataclass(frozen=True)
class VolunteerCaps:
    year: int
    days_used: int
    days_cap: Decimal | None
    km_used: Decimal
    km_cap: Decimal | None
    adding_days: int = 0
    adding_km: Decimal = ZERO

    @property
    def days_after(self) -> int:
        return self.days_used + self.adding_days

    @property
    def km_after(self) -> Decimal:
        return self.km_used + self.adding_km

    @property
    def days_exceeded(self) -> bool:
        return self.days_cap is not None and self.days_after > self.days_cap

    @property
    def km_exceeded(self) -> bool:
        return self.km_cap is not None and self.km_after > self.km_cap

    @property
    def exceeded(self) -> bool:
        return self.days_exceeded or self.km_exceeded

    @property
    def warnings(self) -> list[str]:
        out = []
        if self.days_exceeded:
            out.append(
                _(
                    "Tax-free daily allowances: %(used)s of %(cap)s days this year from this organisation; "
                    "the days over the limit are taxable."
                )
                % {"used": formatting.count(self.days_after), "cap": formatting.number(self.days_cap)}
            )
        if self.km_exceeded:
            out.append(
                _(
                    "Tax-free kilometre allowances: %(used)s of %(cap)s this year from this organisation; "
                    "the part over the limit is taxable."
                )
                % {"used": formatting.money(self.km_after), "cap": formatting.money(self.km_cap)}
            )
        return out

    @property
    def summary(self) -> str:
        """Where the expert stands, in one sentence (shown when nothing goes over)."""
        return _(
            "Tax-free volunteer allowances this year: %(days)s of %(days_cap)s days, "
            "%(km)s of %(km_cap)s kilometre allowances."
        ) % {
            "days": formatting.count(self.days_after),
            "days_cap": formatting.number(self.days_cap) if self.days_cap is not None else "–",
            "km": formatting.money(self.km_after),
            "km_cap": formatting.money(self.km_cap) if self.km_cap is not None else "–",
        }


def allowance_totals(lines: Iterable[tuple[str, Decimal]]) -> tuple[int, Decimal]:
    """Days of daily allowance and euros of kilometre allowances among tax-free lines
    ``(kind, amount)``; other kinds (costs against receipts) do not count."""
    days, km = 0, ZERO
    for kind, amount in lines:
        if kind == ExpenseItem.Kind.DAILY_ALLOWANCE:
            days += 1
        elif kind == ExpenseItem.Kind.KILOMETRES:
            km += amount
    return days, km


def adding_for(*, agreement: Agreement, lines: Iterable[tuple[str, Decimal]]) -> tuple[int, Decimal]:
    """What a report adds to the caps: its allowances, when no fee is paid for the task."""
    return allowance_totals(lines) if not agreement.fee_paid else (0, ZERO)


def reference_figure(kind: str, on: dt.date) -> Decimal | None:
    row = (
        ReferenceFigure.objects.filter(kind=kind, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from")
        .first()
    )
    return row.amount if row else None


def _caps_figures(year: int) -> tuple[Decimal | None, Decimal | None]:
    on = dt.date(year, 12, 31)
    return (
        reference_figure(ReferenceFigure.Kind.VOLUNTEER_ALLOWANCE_DAYS, on),
        reference_figure(ReferenceFigure.Kind.VOLUNTEER_KM_CAP, on),
    )


def _tax_free_items(*, user_ids: Iterable[int], broker_ids: Iterable[int], years: Iterable[int]) -> Any:
    """Allowance lines of tasks without a fee, of these people, paying organisations and years."""
    agreements = Agreement.objects.without_fee().filter(
        expert__user_id__in=list(user_ids), request__broker_id__in=list(broker_ids), starts_at__year__in=list(years)
    )
    return ExpenseItem.objects.filter(report__agreement__in=agreements, kind__in=ALLOWANCE_KINDS)


def volunteer_caps(
    *,
    expert: Expert,
    year: int,
    adding_days: int = 0,
    adding_km: Decimal = ZERO,
    exclude_agreement_id: int | None = None,
) -> VolunteerCaps:
    """The tax-free allowances paid to the expert in the year by the brokering organisation,
    and what ``adding_days``/``adding_km`` would make of them (3 queries)."""
    items = _tax_free_items(user_ids=[expert.user_id], broker_ids=[expert.organisation_id], years=[year])
    if exclude_agreement_id is not None:
        items = items.exclude(report__agreement_id=exclude_agreement_id)
    days, km = allowance_totals(items.values_list("kind", "amount"))
    days_cap, km_cap = _caps_figures(year)
    return VolunteerCaps(
        year=year,
        days_used=days,
        days_cap=days_cap,
        km_used=money(km),
        km_cap=km_cap,
        adding_days=adding_days,
        adding_km=adding_km,
    )


def caps_for_agreement(*, agreement: Agreement, lines: Iterable[tuple[str, Decimal]] = ()) -> VolunteerCaps | None:
    """The caps shown with a task's expenses (``None`` when a fee is paid: the allowances are
    then taxable and the caps do not apply), counting what ``lines`` would add."""
    if agreement.fee_paid:
        return None
    adding_days, adding_km = allowance_totals(lines)
    return volunteer_caps(
        expert=agreement.expert,
        year=timezone.localtime(agreement.starts_at).year,
        adding_days=adding_days,
        adding_km=money(adding_km),
        exclude_agreement_id=agreement.pk,
    )


def caps_of_reports(reports: Iterable[ExpenseReport]) -> dict[int, VolunteerCaps]:
    """For the coordinator's approval queue: each report of a task without a fee, with the
    allowances it adds to the expert's year from the brokering organisation (a fixed number of
    queries for any number of reports: one for the allowances, two per year shown)."""
    reports = [r for r in reports if not r.agreement.fee_paid]
    if not reports:
        return {}
    keys = {
        r.pk: (
            r.agreement.expert.user_id,
            r.agreement.request.broker_id,
            timezone.localtime(r.agreement.starts_at).year,
        )
        for r in reports
    }
    per_key: dict[tuple[int, int, int], list[tuple[int, str, Decimal]]] = defaultdict(list)
    items = _tax_free_items(
        user_ids={k[0] for k in keys.values()},
        broker_ids={k[1] for k in keys.values()},
        years={k[2] for k in keys.values()},
    ).values_list(
        "report__agreement__expert__user_id",
        "report__agreement__request__broker_id",
        "report__agreement__starts_at",
        "report_id",
        "kind",
        "amount",
    )
    for user_id, broker_id, starts_at, report_id, kind, amount in items:
        per_key[(user_id, broker_id, timezone.localtime(starts_at).year)].append((report_id, kind, amount))
    figures = {year: _caps_figures(year) for year in {k[2] for k in keys.values()}}
    out = {}
    for report_id, key in keys.items():
        rows = per_key.get(key, [])
        used_days, used_km = allowance_totals((kind, amount) for rid, kind, amount in rows if rid != report_id)
        add_days, add_km = allowance_totals((kind, amount) for rid, kind, amount in rows if rid == report_id)
        days_cap, km_cap = figures[key[2]]
        out[report_id] = VolunteerCaps(
            year=key[2],
            days_used=used_days,
            days_cap=days_cap,
            km_used=money(used_km),
            km_cap=km_cap,
            adding_days=add_days,
            adding_km=money(add_km),
        )
    return out
