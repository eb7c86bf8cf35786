"""The earnings-limit check: what a paid task does to the expert's month, year and run of
months over their own limits, and the tax-free volunteer caps. It informs; it decides nothing.

``evaluate`` is pure (tested with Hypothesis); ``check_for`` gathers the sums from the
database: fees of agreements that count as earnings (not volunteer mode, fee due).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from .fees import money
from .models import Agreement, EarningsLimit, ExpenseItem, Expert, ReferenceFigure

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
        if self.run_reached:
            return _(
                "%(kind)s: with this task you would be over %(amount)s € for %(run)d months in a row "
                "(%(after)s € this month)."
            ) % {"kind": self.limit.kind, "amount": self.limit.amount, "run": self.run_after, "after": self.after}
        if self.over:
            period = _("this month") if self.limit.period == "month" else _("this year")
            return _(
                "%(kind)s: with this task your fees %(period)s would be %(after)s €, over the limit of %(amount)s € "
                "(now %(before)s €)."
            ) % {
                "kind": self.limit.kind,
                "period": period,
                "after": self.after,
                "amount": self.limit.amount,
                "before": self.before,
            }
        return _("%(kind)s: %(after)s € of %(amount)s €, within the limit.") % {
            "kind": self.limit.kind,
            "after": self.after,
            "amount": self.limit.amount,
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
    def days_exceeded(self) -> bool:
        return self.days_cap is not None and self.days_used + self.adding_days > self.days_cap

    @property
    def km_exceeded(self) -> bool:
        return self.km_cap is not None and self.km_used + self.adding_km > self.km_cap

    @property
    def warnings(self) -> list[str]:
        out = []
        if self.days_exceeded:
            out.append(
                _(
                    "Tax-free daily allowances: %(used)s of %(cap)s days used this year by this organisation; "
                    "this report would go over."
                )
                % {"used": self.days_used + self.adding_days, "cap": self.days_cap}
            )
        if self.km_exceeded:
            out.append(
                _("Tax-free kilometre allowances: %(used)s € of %(cap)s € a year; this report would go over.")
                % {"used": self.km_used + self.adding_km, "cap": self.km_cap}
            )
        return out


def reference_figure(kind: str, on: dt.date) -> Decimal | None:
    row = (
        ReferenceFigure.objects.filter(kind=kind, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from")
        .first()
    )
    return row.amount if row else None


def volunteer_caps(*, expert: Expert, year: int, adding_days: int = 0, adding_km: Decimal = ZERO) -> VolunteerCaps:
    """Tax-free volunteer allowances paid to the expert this year by the brokering organisation."""
    items = ExpenseItem.objects.filter(
        report__agreement__expert__user_id=expert.user_id,
        report__agreement__request__broker_id=expert.organisation_id,
        report__agreement__volunteer=True,
        report__agreement__starts_at__year=year,
    )
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    days = 0
    for kind, amount in items.values_list("kind", "amount"):
        totals[kind] += amount
        if kind == ExpenseItem.Kind.DAILY_ALLOWANCE:
            days += 1
    on = dt.date(year, 12, 31)
    return VolunteerCaps(
        year=year,
        days_used=days,
        days_cap=reference_figure(ReferenceFigure.Kind.VOLUNTEER_ALLOWANCE_DAYS, on),
        km_used=totals[ExpenseItem.Kind.KILOMETRES],
        km_cap=reference_figure(ReferenceFigure.Kind.VOLUNTEER_KM_CAP, on),
        adding_days=adding_days,
        adding_km=adding_km,
    )
