"""Hypothesis properties: scoring against a reference computation, and suppression that never
leaves a hidden cell derivable from the published total."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from osallisuus.core.suppression import suppress
from osallisuus.measurement.scoring import ItemRule, compute


@st.composite
def instruments(draw: st.DrawFn) -> dict:
    n = draw(st.integers(min_value=1, max_value=12))
    low = draw(st.integers(min_value=-3, max_value=3))
    high = low + draw(st.integers(min_value=1, max_value=10))
    rules = [
        ItemRule(code=f"q{i}", low=low, high=high, reverse=draw(st.booleans()), scored=draw(st.booleans()) or i == 0)
        for i in range(n)
    ]
    values = {r.code: draw(st.one_of(st.none(), st.integers(min_value=low, max_value=high))) for r in rules}
    method = draw(st.sampled_from(["sum", "mean"]))
    transform = draw(
        st.one_of(
            st.just({}),
            st.builds(
                lambda a, w, c, d: {"from": [a, a + w], "to": [c, d]},
                st.integers(-10, 10),
                st.integers(1, 50),
                st.integers(-100, 100),
                st.integers(-100, 100).filter(lambda x: x != 0),
            ),
        )
    )
    if transform and transform["to"][0] == transform["to"][1]:
        transform["to"][1] += 1
    cuts = sorted(draw(st.lists(st.integers(-200, 200), min_size=0, max_size=4, unique=True)))
    bands = [{"code": f"b{i}", "min": cut} for i, cut in enumerate(cuts)]
    return {"rules": rules, "values": values, "method": method, "transform": transform, "bands": bands}


def reference(case: dict) -> tuple[Decimal | None, str]:
    """An independent, plain computation of the score and band."""
    counted = []
    for rule in case["rules"]:
        value = case["values"][rule.code]
        if rule.scored and value is not None:
            counted.append((rule.high - (value - rule.low)) if rule.reverse else value)
    if not counted:
        return None, ""
    raw = Fraction(sum(counted), len(counted)) if case["method"] == "mean" else Fraction(sum(counted))
    t = case["transform"]
    if t:
        (a, b), (c, d) = t["from"], t["to"]
        raw = Fraction(c) + (raw - a) * Fraction(d - c, b - a)
    score = (Decimal(raw.numerator) / Decimal(raw.denominator)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    band = ""
    for b in case["bands"]:
        if score >= b["min"]:
            band = b["code"]
    return score, band


@settings(max_examples=300, deadline=None)
@given(instruments())
def test_scoring__matches_the_reference_computation(case: dict) -> None:
    result = compute(
        method=case["method"],
        transform=case["transform"],
        bands=case["bands"],
        rules=case["rules"],
        values=case["values"],
    )
    expected_score, expected_band = reference(case)
    assert result.score == expected_score
    assert result.band == expected_band


@settings(max_examples=100, deadline=None)
@given(instruments())
def test_scoring__does_not_depend_on_the_order_of_the_items(case: dict) -> None:
    forward = compute(
        method=case["method"],
        transform=case["transform"],
        bands=case["bands"],
        rules=case["rules"],
        values=case["values"],
    )
    backward = compute(
        method=case["method"],
        transform=case["transform"],
        bands=case["bands"],
        rules=list(reversed(case["rules"])),
        values=case["values"],
    )
    assert forward == backward


def derivable(counts: list[int], hidden: set[int], total_published: int | None) -> set[int]:
    """Which hidden cells an attacker can pin down exactly (or bound under the threshold) from
    the published cells and total: with the total published, the hidden cells sum to
    total − shown; each hidden cell can be anything from 0 to that sum."""
    if total_published is None or not hidden:
        return set()
    hidden_sum = total_published - sum(c for i, c in enumerate(counts) if i not in hidden)
    if len(hidden) == 1:
        return set(hidden)
    return set(hidden) if hidden_sum == 0 else set()


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12),
    st.integers(min_value=5, max_value=10),
)
def test_suppression__never_leaves_a_small_cell_derivable_from_the_total(counts: list[int], threshold: int) -> None:
    decision = suppress(counts, threshold=threshold)
    total = sum(counts)
    published_total = total if decision.total_shown else None
    hidden = set(decision.hidden)
    # every small cell is hidden
    for i, count in enumerate(counts):
        if 0 < count < threshold:
            assert not decision.shown(i)
    # a total under the threshold is never published
    if total < threshold:
        assert published_total is None
        assert hidden == set(range(len(counts)))
        return
    # no hidden cell can be worked out by subtraction
    assert not derivable(counts, hidden, published_total)
    if hidden:
        hidden_sum = sum(counts[i] for i in hidden)
        assert len(hidden) >= 2
        assert hidden_sum >= threshold, "the hidden cells together must not reveal a group under the threshold"


def test_suppression__one_small_cell_also_hides_the_next_smallest() -> None:
    decision = suppress([3, 10, 20], threshold=5)
    assert decision.total_shown
    assert decision.hidden == {0, 1}


def test_suppression__a_group_of_three__shows_nothing() -> None:
    decision = suppress([1, 2], threshold=5)
    assert not decision.total_shown
    assert decision.hidden == {0, 1}


def test_derivable_check__catches_a_single_hidden_cell() -> None:
    """The checker used above must be able to fail."""
    assert derivable([3, 10], {0}, 13) == {0}


@settings(max_examples=500, deadline=None)
@given(
    st.integers(min_value=0, max_value=60),
    st.integers(min_value=0, max_value=20),
    st.integers(min_value=0, max_value=20),
    st.integers(min_value=5, max_value=10),
)
def test_change_report__paired_figures_never_single_out_who_answered_only_one_round(
    paired: int, only_first: int, only_second: int, threshold: int
) -> None:
    from osallisuus.measurement.reports import paired_shown

    shown = paired_shown(paired=paired, totals=(paired + only_first, paired + only_second), threshold=threshold)
    if shown:
        # n·mean of a round minus the paired sum gives the sum of those who answered only that round:
        # it must be nobody, or a group at least as large as the threshold.
        assert paired >= threshold
        assert only_first == 0 or only_first >= threshold
        assert only_second == 0 or only_second >= threshold
    elif (
        paired >= threshold
        and only_first in (0, *range(threshold, 21))
        and only_second
        in (
            0,
            *range(threshold, 21),
        )
    ):
        raise AssertionError("hidden although nobody could be singled out")
