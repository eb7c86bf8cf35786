"""Hypothesis properties: fees and expenses are exact, a task that crosses a limit is always
flagged, volunteer mode never counts as earnings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osallisuus.experts import earnings, fees
from osallisuus.experts.models import FeeItem

money = st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=2, allow_nan=False, allow_infinity=False)
positive = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("3000"), places=2, allow_nan=False, allow_infinity=False
)
months = st.dictionaries(st.tuples(st.just(2026), st.integers(1, 12)), money, max_size=12)
kinds = st.sampled_from(["km", "ticket", "meal", "lodging", "daily_allowance"])


@given(amount=money, minutes=st.integers(15, 720), sessions=st.integers(1, 52))
def test_fee_for__hourly__is_rate_times_exact_minutes_rounded_to_cents(amount, minutes, sessions):
    fee = fees.fee_for(unit="hour", amount=amount, duration_minutes=minutes, sessions=sessions)
    per_session = fees.money(amount * minutes / Decimal(60))
    assert fee == per_session * sessions
    assert fee.as_tuple().exponent == -2


@given(
    amount=money,
    minutes=st.integers(15, 720),
    sessions=st.integers(1, 52),
    unit=st.sampled_from(["event", "meeting", "package"]),
)
def test_fee_for__fixed_units__do_not_depend_on_the_duration(amount, minutes, sessions, unit):
    assert fees.fee_for(unit=unit, amount=amount, duration_minutes=minutes, sessions=sessions) == amount * sessions
    assert fees.fee_for(unit="project", amount=amount, duration_minutes=minutes, sessions=sessions) == amount


@given(lines=st.lists(st.tuples(kinds, money), max_size=20), fee_paid=st.booleans())
def test_expense_totals__taxable_plus_tax_free_is_the_exact_sum(lines, fee_paid):
    totals = fees.expense_totals([fees.ExpenseLine(kind=k, amount=a) for k, a in lines], fee_paid=fee_paid)
    assert totals.taxable + totals.tax_free == sum((a for _k, a in lines), Decimal("0"))
    assert totals.allowance_days == sum(1 for k, _a in lines if k == "daily_allowance")
    if not fee_paid:
        assert totals.taxable == 0


@given(
    km=st.decimals(min_value=Decimal("0"), max_value=Decimal("2000"), places=1),
    rate=st.decimals(min_value=Decimal("0"), max_value=Decimal("1"), places=3),
)
def test_km_amount__is_exact_and_rounded_half_up(km, rate):
    assert fees.km_amount(kilometres=km, per_km=rate) == (km * rate).quantize(Decimal("0.01"), "ROUND_HALF_UP")


@given(
    km=st.one_of(
        st.decimals(max_value=Decimal("-0.1"), places=1, allow_nan=False, allow_infinity=False),
        st.decimals(min_value=Decimal("2000.1"), places=1, allow_nan=False, allow_infinity=False),
    )
)
def test_km_amount__negative_or_absurd__is_refused(km):
    try:
        fees.km_amount(kilometres=km, per_km=Decimal("0.57"))
    except ValueError:
        return
    raise AssertionError("accepted")


@given(
    monthly=months, adding=positive, limit=positive, month=st.integers(1, 12), period=st.sampled_from(["month", "year"])
)
def test_evaluate__a_task_that_crosses_a_limit_is_always_flagged(monthly, adding, limit, month, period):
    spec = earnings.LimitSpec(kind="limit", amount=limit, period=period)
    check = earnings.evaluate(limits=[spec], monthly=monthly, adding=adding, on=dt.date(2026, month, 15))
    result = check.results[0]
    before = monthly.get((2026, month), Decimal("0")) if period == "month" else sum(monthly.values(), Decimal("0"))
    assert result.before == before
    assert result.after == before + adding
    if before <= limit < before + adding:
        assert result.crosses
        assert result.flagged
    if before + adding > limit:
        assert result.flagged
    if before + adding <= limit:
        assert not result.over


@given(monthly=months, adding=positive, limit=positive, month=st.integers(1, 12))
def test_evaluate__volunteer_mode_never_counts_as_earnings(monthly, adding, limit, month):
    specs = [
        earnings.LimitSpec(kind="m", amount=limit, period="month", consecutive_months=3),
        earnings.LimitSpec(kind="y", amount=limit, period="year"),
    ]
    check = earnings.evaluate(limits=specs, monthly=monthly, adding=adding, on=dt.date(2026, month, 1), volunteer=True)
    assert check.adding == 0
    assert check.month_after == check.month_before
    assert not check.flagged


@given(limit=positive, extra=positive, month=st.integers(3, 12))
def test_evaluate__third_consecutive_month_over_the_limit_is_flagged(limit, extra, month):
    monthly = {(2026, month - 1): limit + extra, (2026, month - 2): limit + extra}
    spec = earnings.LimitSpec(kind="pension", amount=limit, period="month", consecutive_months=3)
    check = earnings.evaluate(limits=[spec], monthly=monthly, adding=limit + extra, on=dt.date(2026, month, 10))
    assert check.results[0].run_after == 3
    assert check.results[0].run_reached


def test_evaluate__second_month_over_is_not_yet_a_run_of_three():
    limit = Decimal("976.59")
    monthly = {(2026, 4): Decimal("1000")}
    spec = earnings.LimitSpec(kind="pension", amount=limit, period="month", consecutive_months=3)
    check = earnings.evaluate(limits=[spec], monthly=monthly, adding=Decimal("1000"), on=dt.date(2026, 5, 1))
    assert check.results[0].run_after == 2
    assert not check.results[0].run_reached
    assert check.results[0].over


@given(low=money, span=money, chosen=st.one_of(st.none(), money), ranged=st.booleans())
def test_unit_amount__is_the_chosen_fee_within_the_range_or_refused(low, span, chosen, ranged):
    item = FeeItem(code="event", name="Luento", unit="event", amount=low, max_amount=low + span if ranged else None)
    high = low + span if ranged else low
    if chosen is None:
        assert fees.unit_amount(item=item, chosen=None) == low
    elif low <= chosen <= high:
        assert fees.unit_amount(item=item, chosen=chosen) == chosen
    else:
        with pytest.raises(ValueError):  # noqa: PT011 - the message is the user's, in their language
            fees.unit_amount(item=item, chosen=chosen)
