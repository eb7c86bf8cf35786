"""The one small-cell suppression of the platform: its floor from settings, vectors and cross
tables whose totals are published, and that no hidden cell can be worked out by subtraction."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osallisuus.core.suppression import min_cell_size, shown_count, suppress, suppress_table, threshold_for


def test_threshold__callers_cannot_go_under_the_floor_from_settings(settings):
    settings.SUPPRESSION_MIN_CELL_SIZE = 5
    assert threshold_for(2) == 5
    assert threshold_for(None) == 5
    assert threshold_for(8) == 8
    assert suppress([4, 20], threshold=2).hidden == {0, 1}


def test_threshold__the_floor_itself_is_never_under_three(settings):
    settings.SUPPRESSION_MIN_CELL_SIZE = 1
    assert min_cell_size() == 3
    assert shown_count(2) is None


def test_shown_count__an_empty_cell_is_zero_not_fewer_than_the_threshold(settings):
    settings.SUPPRESSION_MIN_CELL_SIZE = 5
    assert shown_count(0) == 0
    assert shown_count(4) is None
    assert shown_count(5) == 5


def _vector_is_safe(counts: list[int], hidden: set[int], threshold: int) -> bool:
    if not hidden:
        return True
    return len(hidden) >= 2 and sum(counts[i] for i in hidden) >= threshold


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=6), min_size=1, max_size=6),
    st.integers(min_value=5, max_value=9),
)
def test_suppress_table__every_published_total_protects_its_hidden_cells(rows: list[list[int]], threshold: int) -> None:
    width = max(len(r) for r in rows)
    grid = [r + [0] * (width - len(r)) for r in rows]
    decision = suppress_table(grid, threshold=threshold)
    total = sum(map(sum, grid))
    if total < threshold:
        assert not decision.grand_total_shown
        return
    hidden = decision.hidden
    # every small cell is hidden, every empty cell is shown
    for r, row in enumerate(grid):
        for k, n in enumerate(row):
            if 0 < n < threshold:
                assert not decision.shown(r, k)
    # each row and column whose total is published: no hidden cell can be worked out from it
    for r, row in enumerate(grid):
        if decision.row_total_shown(r):
            assert _vector_is_safe(row, {k for k in range(width) if (r, k) in hidden}, threshold)
    for k in range(width):
        column = [grid[r][k] for r in range(len(grid))]
        if decision.column_total_shown(k):
            assert _vector_is_safe(column, {r for r in range(len(grid)) if (r, k) in hidden}, threshold)
    # the margins against the grand total
    row_totals = [sum(r) for r in grid]
    column_totals = [sum(grid[r][k] for r in range(len(grid))) for k in range(width)]
    assert _vector_is_safe(row_totals, set(decision.hidden_row_totals), threshold)
    assert _vector_is_safe(column_totals, set(decision.hidden_column_totals), threshold)
    # a small row or column total is never published
    for r, n in enumerate(row_totals):
        if 0 < n < threshold:
            assert not decision.row_total_shown(r)


def test_suppress_table__the_activation_leak__one_hidden_cell_no_longer_equals_total_minus_shown():
    # 'goals by area of life × status' with per-area totals: [3, 12] in a row with total 15
    # used to show 12 and 15, so the hidden 3 was 15 − 12.
    decision = suppress_table([[3, 12], [20, 30]], threshold=5)
    assert not decision.shown(0, 0)
    assert not decision.shown(0, 1), "the next smallest cell of the row is hidden with it"
    assert not decision.shown(1, 0) or not decision.shown(1, 1)


def test_suppress_table__all_zero_and_large_cells_are_shown():
    decision = suppress_table([[0, 10], [12, 0]], threshold=5)
    assert decision.values([[0, 10], [12, 0]]) == [[0, 10], [12, 0]]


def test_suppress__negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        suppress([-1, 5])
    with pytest.raises(ValueError, match="negative"):
        suppress_table([[1, -1]])
