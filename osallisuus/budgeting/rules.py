"""The winner rules of participatory budgeting, written for this project (no Django, no database).

Two rules, both explained step by step so the results page can tell every voter why each
proposal won or did not:

* **greedy** (the standard rule): the proposals are put in order by votes and each one is funded
  if it still fits in the money that is left ("this did not fit: 400 € were left and it cost 650 €").
* **equal shares** (the Method of Equal Shares with cost utilities, as on equalshares.net): the
  budget is divided equally among the voters; a proposal can only be paid from the shares of the
  people who voted for it. Each round funds the proposal whose supporters can pay for it in the
  most equal way, that is the one with the largest *effective support* (its cost divided by the most
  any one supporter has to pay). Equal Shares often leaves money unspent, so it is **completed**:
  every voter's share is raised by one euro at a time and the count is run again, until a count
  spends all it can (nothing more fits) or would go over the budget (then the previous count is
  kept); money still left after that is filled by the greedy rule.

**Ties** are broken by one documented order, the same everywhere: more votes first; with the same
votes the cheaper proposal; with the same cost too, the proposal that was made first (its number).

**The third-sector minimum**: when the rule's winners include fewer proposals carried out by a
third-sector actor than the process requires, the third-sector proposals with the most votes that
fit are funded first (in the tie order above) and the rule is counted again for the money left.

Money is ``Decimal`` throughout (what is spent and what is left are exact). Inside Equal Shares the
voters' shares are computed in floating point (numpy) with a relative tolerance of 1e-9 for ties;
which proposals are funded and what they cost are exact.

pabutools (GPL-3.0) is only used in the tests and the benchmark to check these rules; nothing here
imports it.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import chain

import numpy as np

EPS = 1e-9
CENT = Decimal("0.01")
EURO_IN_CENTS = 100.0
MAX_COMPLETION_RUNS = 10_000


class Rule(StrEnum):
    GREEDY = "greedy"
    EQUAL_SHARES = "equal_shares"


class Stage(StrEnum):
    MINIMUM = "minimum"  # the third-sector minimum, before the rule
    GREEDY = "greedy"  # the greedy rule
    SHARES = "shares"  # a round of Equal Shares
    FILL = "fill"  # the greedy fill after Equal Shares and its completion


class Outcome(StrEnum):
    FUNDED = "funded"
    DID_NOT_FIT = "did_not_fit"  # greedy: the money left was less than the cost
    SHORT_OF_MONEY = "short_of_money"  # equal shares: the supporters' shares together were less than the cost
    NO_VOTES = "no_votes"


@dataclass(frozen=True)
class Option:
    """A proposal on the ballot: its id, its number in the process (for the tie order), its cost."""

    id: int
    number: int
    cost: Decimal
    third_sector: bool = False


@dataclass
class Step:
    stage: Stage
    outcome: Outcome
    option: int
    round: int
    votes: int
    cost: Decimal
    left_before: Decimal
    left_after: Decimal
    share: Decimal | None = None
    """Equal Shares, funded: the most any one supporter paid."""
    payers: int | None = None
    """Equal Shares, funded: how many supporters paid (they still had money)."""
    effective: Decimal | None = None
    """Equal Shares, funded: the effective support (cost ÷ the most one supporter paid)."""
    supporters_money: Decimal | None = None
    """Equal Shares, short of money: what the supporters had left together."""


@dataclass
class Result:
    rule: Rule
    budget: Decimal
    ballots: int
    votes: dict[int, int]
    winners: list[int] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    spent: Decimal = Decimal("0")
    third_sector_minimum: int = 0
    third_sector_winners: int = 0
    guaranteed: list[int] = field(default_factory=list)
    """Third-sector proposals funded first to meet the minimum."""
    first_share: Decimal | None = None
    """Equal Shares: each voter's share of the budget in the first count."""
    final_share: Decimal | None = None
    """Equal Shares: each voter's share in the count that was kept (after the completion)."""
    counts: int = 0
    """Equal Shares: how many times it was counted (1 + the completion's rounds)."""

    @property
    def left(self) -> Decimal:
        return self.budget - self.spent

    @property
    def minimum_met(self) -> bool:
        return self.third_sector_winners >= self.third_sector_minimum


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def count_votes(options: Sequence[Option], ballots: Iterable[Iterable[int]]) -> dict[int, int]:
    """Votes per proposal: how many ballots chose it (a choice of an unknown id is ignored)."""
    counted = Counter(chain.from_iterable(ballots))
    return {o.id: counted.get(o.id, 0) for o in options}


def tie_order(options: Sequence[Option], votes: dict[int, int]) -> list[Option]:
    """The documented order: more votes first, then the cheaper, then the one made first."""
    return sorted(options, key=lambda o: (-votes.get(o.id, 0), o.cost, o.number, o.id))


# -- greedy -----------------------------------------------------------------------------------------
def _greedy(
    options: Sequence[Option], votes: dict[int, int], budget: Decimal, *, stage: Stage, first_round: int = 1
) -> tuple[list[int], list[Step]]:
    """Fund each proposal with votes, in the tie order, if it still fits."""
    left = budget
    winners: list[int] = []
    steps: list[Step] = []
    number = first_round
    for option in tie_order(options, votes):
        n = votes.get(option.id, 0)
        if n == 0:
            steps.append(Step(stage, Outcome.NO_VOTES, option.id, number, 0, option.cost, left, left))
        elif option.cost <= left:
            steps.append(Step(stage, Outcome.FUNDED, option.id, number, n, option.cost, left, left - option.cost))
            left -= option.cost
            winners.append(option.id)
        else:
            steps.append(Step(stage, Outcome.DID_NOT_FIT, option.id, number, n, option.cost, left, left))
        number += 1
    return winners, steps


# -- equal shares -----------------------------------------------------------------------------------
@dataclass
class _Profile:
    """The ballots as arrays: for each option (by index) the indices of its supporters."""

    n: int
    supporters: list[np.ndarray]
    counts: np.ndarray


def _profile(options: Sequence[Option], ballots: Sequence[Iterable[int]]) -> _Profile:
    ids = np.array([o.id for o in options], dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    lengths = np.fromiter((len(b) for b in ballots), dtype=np.int64, count=len(ballots))  # type: ignore[arg-type]
    chosen = np.fromiter(chain.from_iterable(ballots), dtype=np.int64, count=int(lengths.sum()))
    voters = np.repeat(np.arange(len(ballots), dtype=np.int64), lengths)
    if len(sorted_ids) and len(chosen):
        where = np.clip(np.searchsorted(sorted_ids, chosen), 0, len(sorted_ids) - 1)
        known = sorted_ids[where] == chosen
        index = order[where[known]]
        voters = voters[known]
    else:
        index = np.zeros(0, dtype=np.int64)
        voters = np.zeros(0, dtype=np.int64)
    by_option = np.argsort(index, kind="stable")
    index, voters = index[by_option], voters[by_option]
    counts = np.bincount(index, minlength=len(options)) if len(options) else np.zeros(0, dtype=np.int64)
    bounds = np.concatenate(([0], np.cumsum(counts)))
    supporters = [voters[bounds[i] : bounds[i + 1]] for i in range(len(options))]
    return _Profile(n=len(ballots), supporters=supporters, counts=counts)


@dataclass
class _Round:
    index: int
    """The option (by index) chosen, or -1 for one that ran short of money."""
    funded: bool
    price: float
    """Funded: the most one supporter paid (cents). Short: the supporters' money together (cents)."""
    payers: int


def _price(budgets: np.ndarray, cost: float) -> tuple[float, int]:
    """The least p with sum(min(b, p)) = cost over the supporters' budgets (cents), and how many
    supporters pay p in full (the others pay all they have)."""
    k = len(budgets)
    even = cost / k
    if float(budgets.min()) >= even:  # everyone can pay an equal part: the usual case, no sorting
        return even, k
    b = np.sort(budgets)
    paid_before = np.concatenate(([0.0], np.cumsum(b)[:-1]))
    candidates = (cost - paid_before) / (k - np.arange(k))
    fits = candidates <= b
    first = int(np.argmax(fits)) if fits.any() else k - 1
    return float(candidates[first]), k - first


def _equal_shares_count(
    options: Sequence[Option],
    rank: np.ndarray,
    profile: _Profile,
    share: float,
    candidates: list[int],
) -> list[_Round]:
    """One count of Equal Shares with each voter holding ``share`` cents. Lazy: a proposal's last
    known ratio (price ÷ cost) can only grow as the supporters spend, so a proposal is looked at
    again only while it could still beat the best one of the round."""
    costs = np.array([float(o.cost) * EURO_IN_CENTS for o in options])
    budgets = np.full(profile.n, share)
    # The candidates by their last known ratio, then the tie order: a heap, looked at lazily.
    queue = [(1.0 / float(profile.counts[i]), int(rank[i]), i) for i in candidates]
    heapq.heapify(queue)
    rounds: list[_Round] = []
    while queue:
        best = float("inf")
        tied: list[tuple[int, float, int]] = []
        looked: list[tuple[float, int, int]] = []
        while queue and queue[0][0] <= best * (1 + EPS):
            _stale, order, i = heapq.heappop(queue)
            money = profile.supporters[i]
            held = budgets[money]
            total = float(held.sum())
            if total < costs[i] * (1 - EPS):
                rounds.append(_Round(i, False, total, 0))
                continue
            price, payers = _price(held, costs[i]) if total > costs[i] else (float(held.max()), len(held))
            ratio = price / costs[i]
            looked.append((ratio, order, i))
            if ratio < best * (1 - EPS):
                best, tied = ratio, [(i, price, payers)]
            elif ratio <= best * (1 + EPS):
                tied.append((i, price, payers))
        if not tied:
            break
        chosen, price, payers = min(tied, key=lambda t: rank[t[0]])
        money = profile.supporters[chosen]
        budgets[money] -= np.minimum(budgets[money], price)
        rounds.append(_Round(chosen, True, price, payers))
        for item in looked:
            if item[2] != chosen:
                heapq.heappush(queue, item)
    return rounds


def _funded_cost(options: Sequence[Option], rounds: list[_Round]) -> Decimal:
    return sum((options[r.index].cost for r in rounds if r.funded), Decimal("0"))


def _equal_shares(
    options: Sequence[Option],
    votes: dict[int, int],
    ballots: Sequence[Iterable[int]],
    budget: Decimal,
    *,
    increment: Decimal,
) -> tuple[list[int], list[Step], Decimal | None, Decimal | None, int]:
    """Equal Shares, its completion (shares raised by ``increment`` euros a time) and the greedy fill."""
    if not ballots or not options:
        return (*_greedy(options, votes, budget, stage=Stage.FILL), None, None, 0)
    order = tie_order(options, votes)
    position = {o.id: p for p, o in enumerate(order)}
    rank = np.array([position[o.id] for o in options])
    profile = _profile(options, ballots)
    candidates = [i for i in range(len(options)) if profile.counts[i] > 0]
    first = Decimal(budget) / profile.n
    share = first
    kept = _equal_shares_count(options, rank, profile, float(share) * EURO_IN_CENTS, candidates)
    kept_share = share
    counts = 1
    while counts < MAX_COMPLETION_RUNS:
        funded = {r.index for r in kept if r.funded}
        spent = _funded_cost(options, kept)
        left = budget - spent
        if all(options[i].cost > left for i in candidates if i not in funded):
            break  # nothing more fits: the count spends all it can
        share += increment
        trial = _equal_shares_count(options, rank, profile, float(share) * EURO_IN_CENTS, candidates)
        counts += 1
        if _funded_cost(options, trial) > budget:
            break  # over the budget: keep the previous count
        kept, kept_share = trial, share
    steps: list[Step] = []
    winners: list[int] = []
    left = budget
    for number, r in enumerate(kept, start=1):
        option = options[r.index]
        if r.funded:
            paid = Decimal(str(r.price)) / 100
            steps.append(
                Step(
                    Stage.SHARES,
                    Outcome.FUNDED,
                    option.id,
                    number,
                    votes[option.id],
                    option.cost,
                    left,
                    left - option.cost,
                    share=cents(paid),
                    payers=r.payers,
                    effective=(option.cost / paid).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if paid else None,
                )
            )
            left -= option.cost
            winners.append(option.id)
        else:
            steps.append(
                Step(
                    Stage.SHARES,
                    Outcome.SHORT_OF_MONEY,
                    option.id,
                    number,
                    votes[option.id],
                    option.cost,
                    left,
                    left,
                    supporters_money=cents(Decimal(str(r.price)) / 100),
                )
            )
    rest = [o for o in options if o.id not in set(winners)]
    fill_winners, fill_steps = _greedy(rest, votes, left, stage=Stage.FILL, first_round=len(kept) + 1)
    steps.extend(fill_steps)
    winners.extend(fill_winners)
    return winners, steps, cents(first), cents(kept_share), counts


# -- the whole count --------------------------------------------------------------------------------
def _run(
    rule: Rule,
    options: Sequence[Option],
    votes: dict[int, int],
    ballots: Sequence[Iterable[int]],
    budget: Decimal,
    increment: Decimal,
) -> tuple[list[int], list[Step], Decimal | None, Decimal | None, int]:
    if rule == Rule.GREEDY:
        winners, steps = _greedy(options, votes, budget, stage=Stage.GREEDY)
        return winners, steps, None, None, 0
    return _equal_shares(options, votes, ballots, budget, increment=increment)


def tally(
    *,
    rule: Rule | str,
    budget: Decimal,
    options: Sequence[Option],
    ballots: Sequence[Iterable[int]],
    third_sector_minimum: int = 0,
    increment: Decimal = Decimal("1"),
) -> Result:
    """Count the ballots with the rule and explain every step. ``ballots`` are the proposals each
    ballot chose (ids of ``options``); ``increment`` is how much Equal Shares' completion adds to
    every voter's share each time, in euros."""
    rule = Rule(rule)
    budget = Decimal(budget)
    ballots = [tuple(b) for b in ballots] if not isinstance(ballots, list) else ballots
    votes = count_votes(options, ballots)
    winners, steps, first, final, counts = _run(rule, options, votes, ballots, budget, increment)
    by_id = {o.id: o for o in options}
    guaranteed: list[int] = []
    if third_sector_minimum > 0 and sum(by_id[w].third_sector for w in winners) < third_sector_minimum:
        left = budget
        minimum_steps: list[Step] = []
        third = [o for o in tie_order(options, votes) if o.third_sector and votes[o.id] > 0]
        for number, option in enumerate(third, start=1):
            if len(guaranteed) >= third_sector_minimum:
                break
            if option.cost <= left:
                minimum_steps.append(
                    Step(
                        Stage.MINIMUM,
                        Outcome.FUNDED,
                        option.id,
                        number,
                        votes[option.id],
                        option.cost,
                        left,
                        left - option.cost,
                    )
                )
                left -= option.cost
                guaranteed.append(option.id)
            else:
                minimum_steps.append(
                    Step(
                        Stage.MINIMUM, Outcome.DID_NOT_FIT, option.id, number, votes[option.id], option.cost, left, left
                    )
                )
        if guaranteed:
            rest = [o for o in options if o.id not in set(guaranteed)]
            winners, steps, first, final, counts = _run(rule, rest, votes, ballots, left, increment)
            winners = guaranteed + winners
            steps = minimum_steps + steps
        else:
            steps = minimum_steps + steps
    spent = sum((by_id[w].cost for w in winners), Decimal("0"))
    return Result(
        rule=rule,
        budget=budget,
        ballots=len(ballots),
        votes=votes,
        winners=winners,
        steps=steps,
        spent=spent,
        third_sector_minimum=third_sector_minimum,
        third_sector_winners=sum(by_id[w].third_sector for w in winners),
        guaranteed=guaranteed,
        first_share=first,
        final_share=final,
        counts=counts,
    )
