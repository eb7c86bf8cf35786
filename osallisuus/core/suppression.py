"""Small-cell suppression for every published group figure, complementary suppression included.

One rule for every module. The threshold's floor comes from settings
(``SUPPRESSION_MIN_CELL_SIZE``, never under 3); a caller may ask for a larger threshold, never
for a smaller one.

A *vector* is a list of cells that partition one group whose total is published (the
respondents of a round by area, or by band). A *table* is a cross table whose row totals,
column totals and grand total are published. The rules:

1. If the total is under the threshold, nothing is shown: not the total, not a cell.
2. A cell with 1 … threshold−1 people is hidden (primary suppression). An empty cell (0) is
   shown as 0: it reveals nobody.
3. If anything in a vector is hidden, more cells are hidden, smallest first, until at least two
   are hidden *and* the hidden cells hold at least ``threshold`` people together
   (complementary suppression). The published total minus the shown cells then gives only the
   sum of the hidden cells, from which no single hidden cell can be worked out.
4. In a table, rule 3 holds in every row and every column whose total is published, and in the
   row totals and column totals against the grand total. A row or column in which the rule
   cannot be met has its total hidden as well. The rules are applied until nothing changes.

Everything derived from a cell (its mean, its share) is hidden with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

ABSOLUTE_FLOOR = 3


def min_cell_size() -> int:
    """The smallest group whose figures are shown: from settings, never under 3."""
    return max(ABSOLUTE_FLOOR, int(getattr(settings, "SUPPRESSION_MIN_CELL_SIZE", 5)))


def threshold_for(requested: int | None = None) -> int:
    """The threshold a caller gets: what it asks for, but never less than the settings' floor."""
    floor = min_cell_size()
    return floor if requested is None else max(floor, int(requested))


def shown_count(count: int, *, threshold: int | None = None) -> int | None:
    """One count published without a total beside it: ``None`` (hidden) for 1 … threshold−1."""
    t = threshold_for(threshold)
    if count < 0:
        raise ValueError("counts cannot be negative")
    return count if count == 0 or count >= t else None


@dataclass(frozen=True)
class Suppressed:
    total_shown: bool
    hidden: frozenset[int]
    """Indexes of the cells that are hidden."""

    def shown(self, index: int) -> bool:
        return self.total_shown and index not in self.hidden

    def values(self, counts: Sequence[int]) -> list[int | None]:
        """The counts as published: ``None`` where hidden."""
        return [c if self.shown(i) else None for i, c in enumerate(counts)]


def _complete(counts: Sequence[int], hidden: set[int], threshold: int) -> bool:
    """Rule 3 on one vector, adding to ``hidden`` in place. False when it cannot be met."""
    if not hidden:
        return True
    candidates = sorted(
        (i for i in range(len(counts)) if i not in hidden),
        key=lambda i: (counts[i] == 0, counts[i], i),
    )
    for index in candidates:
        if len(hidden) >= 2 and sum(counts[i] for i in hidden) >= threshold:
            break
        hidden.add(index)
    return len(hidden) >= 2 and sum(counts[i] for i in hidden) >= threshold


def suppress(counts: Sequence[int], *, threshold: int | None = None) -> Suppressed:
    """Suppress one vector whose total is published (rules 1–3)."""
    t = threshold_for(threshold)
    if any(c < 0 for c in counts):
        raise ValueError("counts cannot be negative")
    total = sum(counts)
    if total < t:
        return Suppressed(False, frozenset(range(len(counts))))
    hidden = {i for i, c in enumerate(counts) if 0 < c < t}
    _complete(counts, hidden, t)
    return Suppressed(True, frozenset(hidden))


@dataclass(frozen=True)
class TableSuppressed:
    grand_total_shown: bool
    hidden: frozenset[tuple[int, int]]
    hidden_row_totals: frozenset[int]
    hidden_column_totals: frozenset[int]

    def shown(self, row: int, column: int) -> bool:
        return self.grand_total_shown and (row, column) not in self.hidden

    def row_total_shown(self, row: int) -> bool:
        return self.grand_total_shown and row not in self.hidden_row_totals

    def column_total_shown(self, column: int) -> bool:
        return self.grand_total_shown and column not in self.hidden_column_totals

    def values(self, cells: Sequence[Sequence[int]]) -> list[list[int | None]]:
        return [[c if self.shown(r, k) else None for k, c in enumerate(row)] for r, row in enumerate(cells)]


def suppress_table(cells: Sequence[Sequence[int]], *, threshold: int | None = None) -> TableSuppressed:
    """Suppress a cross table whose row, column and grand totals are published (rules 1–4).

    The totals are the sums of the cells; a table whose cells overlap (one person counted in
    several cells) is protected at least as well, since its totals are smaller than the sums.
    """
    t = threshold_for(threshold)
    rows = len(cells)
    columns = max((len(r) for r in cells), default=0)
    grid = [[int(r[k]) if k < len(r) else 0 for k in range(columns)] for r in cells]
    if any(c < 0 for r in grid for c in r):
        raise ValueError("counts cannot be negative")
    row_totals = [sum(r) for r in grid]
    column_totals = [sum(grid[r][k] for r in range(rows)) for k in range(columns)]
    every_cell = frozenset((r, k) for r in range(rows) for k in range(columns))
    if sum(row_totals) < t:
        return TableSuppressed(False, every_cell, frozenset(range(rows)), frozenset(range(columns)))

    hidden = {(r, k) for r in range(rows) for k in range(columns) if 0 < grid[r][k] < t}
    hidden_rows = {r for r, n in enumerate(row_totals) if 0 < n < t}
    hidden_columns = {k for k, n in enumerate(column_totals) if 0 < n < t}
    while True:
        before = (len(hidden), len(hidden_rows), len(hidden_columns))
        # The row totals and the column totals against the published grand total.
        _complete(row_totals, hidden_rows, t)
        _complete(column_totals, hidden_columns, t)
        # Every row and column whose total is published.
        for r in range(rows):
            in_row = {k for k in range(columns) if (r, k) in hidden}
            if r in hidden_rows:
                continue
            if not _complete(grid[r], in_row, t):
                hidden_rows.add(r)
            hidden |= {(r, k) for k in in_row}
        for k in range(columns):
            in_column = {r for r in range(rows) if (r, k) in hidden}
            if k in hidden_columns:
                continue
            if not _complete([grid[r][k] for r in range(rows)], in_column, t):
                hidden_columns.add(k)
            hidden |= {(r, k) for r in in_column}
        if (len(hidden), len(hidden_rows), len(hidden_columns)) == before:
            break
    return TableSuppressed(True, frozenset(hidden), frozenset(hidden_rows), frozenset(hidden_columns))
