"""Small-cell suppression for published group figures, including complementary suppression.

A *table* is a list of cells that partition one group (e.g. the respondents of a round
by area, or by band) and whose total is published (the round's n). Rules:

1. If the total is under the threshold, nothing is shown: not the total, not a cell.
2. A cell with 1…threshold−1 people is hidden (primary suppression). An empty cell (0)
   is shown: it reveals nobody.
3. If anything is hidden, more cells are hidden, smallest first, until at least two
   are hidden *and* the hidden cells hold at least ``threshold`` people together
   (complementary suppression). Then the published total minus the shown cells gives
   only the sum of the hidden cells, which is at least the threshold, and no single
   hidden cell can be worked out from it.

Everything derived from a cell (its mean, its band shares) is hidden with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class Suppressed:
    total_shown: bool
    hidden: frozenset[int]
    """Indexes of the cells that are hidden."""

    def shown(self, index: int) -> bool:
        return self.total_shown and index not in self.hidden


def suppress(counts: Sequence[int], *, threshold: int = DEFAULT_THRESHOLD) -> Suppressed:
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    if any(c < 0 for c in counts):
        raise ValueError("counts cannot be negative")
    total = sum(counts)
    if total < threshold:
        return Suppressed(False, frozenset(range(len(counts))))
    hidden = {i for i, c in enumerate(counts) if 0 < c < threshold}
    if hidden:
        # Smallest first; zero cells last (hiding a zero adds no protection to the sum).
        candidates = sorted(
            (i for i in range(len(counts)) if i not in hidden),
            key=lambda i: (counts[i] == 0, counts[i], i),
        )
        for index in candidates:
            if len(hidden) >= 2 and sum(counts[i] for i in hidden) >= threshold:
                break
            hidden.add(index)
    return Suppressed(True, frozenset(hidden))
