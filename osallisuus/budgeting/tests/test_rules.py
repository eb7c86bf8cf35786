"""The winner rules (osallisuus/budgeting/rules.py): properties on random instances, the greedy rule
against the rule written out, Equal Shares with its completion against pabutools (GPL-3.0, a test-time
dependency only), the tie order, the third-sector minimum and the explanation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osallisuus.budgeting import rules
from osallisuus.budgeting.rules import Option, Outcome, Rule, Stage, tally

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def instances(draw, *, whole_euros: bool = False, minimum: bool = True):
    n_options = draw(st.integers(1, 9))
    cents = st.integers(1, 40) if whole_euros else st.integers(1, 4000)
    options = [
        Option(
            id=100 + i,
            number=i + 1,
            cost=Decimal(draw(cents)) if whole_euros else Decimal(draw(cents)) / 100,
            third_sector=draw(st.booleans()),
        )
        for i in range(n_options)
    ]
    ids = [o.id for o in options]
    ballots = draw(st.lists(st.sets(st.sampled_from(ids), min_size=1), min_size=0, max_size=25))
    budget = Decimal(draw(st.integers(1, 120))) if whole_euros else Decimal(draw(st.integers(1, 12000))) / 100
    return {
        "options": options,
        "ballots": [tuple(sorted(b)) for b in ballots],
        "budget": budget,
        "third_sector_minimum": draw(st.integers(0, 2)) if minimum else 0,
    }


def greedy_written_out(options, ballots, budget):
    """The standard rule as a sentence: put the proposals with votes in order by votes (more first; then
    the cheaper; then the one made first) and fund each one that still fits."""
    votes = {o.id: sum(o.id in b for b in ballots) for o in options}
    order = sorted((o for o in options if votes[o.id] > 0), key=lambda o: (-votes[o.id], o.cost, o.number))
    left, winners = budget, []
    for o in order:
        if o.cost <= left:
            winners.append(o.id)
            left -= o.cost
    return winners


# -- both rules ----------------------------------------------------------------------------------------
@SETTINGS
@given(instances(), st.sampled_from(list(Rule)))
def test_winners__never_exceed_the_budget(case, rule):
    result = tally(rule=rule, **case)
    by_id = {o.id: o for o in case["options"]}
    assert sum(by_id[w].cost for w in result.winners) == result.spent <= case["budget"]
    assert result.left == case["budget"] - result.spent >= 0
    assert len(set(result.winners)) == len(result.winners)


@SETTINGS
@given(instances(), st.sampled_from(list(Rule)))
def test_winners__always_have_votes_and_the_explanation_adds_up(case, rule):
    result = tally(rule=rule, **case)
    assert all(result.votes[w] > 0 for w in result.winners)
    funded = [s.option for s in result.steps if s.outcome == Outcome.FUNDED]
    assert funded == result.winners
    assert sum(s.cost for s in result.steps if s.outcome == Outcome.FUNDED) == result.spent
    for s in result.steps:
        if s.outcome == Outcome.DID_NOT_FIT:
            assert s.cost > s.left_before  # "400 € were left and it cost 650 €"
        if s.outcome == Outcome.FUNDED and s.stage != Stage.SHARES:
            assert s.left_after == s.left_before - s.cost >= 0


@SETTINGS
@given(instances(), st.sampled_from(list(Rule)))
def test_third_sector_minimum__met_whenever_a_third_sector_proposal_with_votes_fits(case, rule):
    case["third_sector_minimum"] = 1
    result = tally(rule=rule, **case)
    votes = rules.count_votes(case["options"], case["ballots"])
    possible = any(o.third_sector and votes[o.id] > 0 and o.cost <= case["budget"] for o in case["options"])
    assert result.minimum_met == possible
    assert result.third_sector_winners >= (1 if possible else 0)


# -- greedy --------------------------------------------------------------------------------------------
@SETTINGS
@given(instances(minimum=False))
def test_greedy__equals_the_rule_written_out(case):
    result = tally(rule=Rule.GREEDY, **case)
    assert result.winners == greedy_written_out(case["options"], case["ballots"], case["budget"])


@SETTINGS
@given(instances(minimum=False))
def test_greedy__equals_pabutools_greedy_by_votes(case):
    assert sorted(tally(rule=Rule.GREEDY, **case).winners) == pabutools_outcome(case, rule=Rule.GREEDY)


def test_greedy__explains_what_did_not_fit_in_euros():
    options = [Option(1, 1, Decimal("600")), Option(2, 2, Decimal("650")), Option(3, 3, Decimal("300"))]
    ballots = [(1, 2), (1, 2), (1, 3), (2,)]
    result = tally(rule=Rule.GREEDY, budget=Decimal("1000"), options=options, ballots=ballots)
    # 3 votes each for 600 € and 650 €: the cheaper goes first; then "this did not fit: 400 € were left and
    # it cost 650 €"; then 300 € still fits.
    assert result.winners == [1, 3]
    did_not_fit = next(s for s in result.steps if s.outcome == Outcome.DID_NOT_FIT)
    assert (did_not_fit.option, did_not_fit.left_before, did_not_fit.cost) == (2, Decimal("400"), Decimal("650"))


def test_ties__more_votes_then_the_cheaper_then_the_one_made_first():
    options = [Option(1, 1, Decimal("500")), Option(2, 2, Decimal("400")), Option(3, 3, Decimal("400"))]
    ballots = [(1, 2, 3)]
    result = tally(rule=Rule.GREEDY, budget=Decimal("400"), options=options, ballots=ballots)
    assert result.winners == [2]  # level votes: the cheaper ones first, and of those the one made first
    assert [s.option for s in result.steps] == [2, 3, 1]


def test_third_sector_minimum__the_most_voted_association_goes_first():
    options = [
        Option(1, 1, Decimal("900"), third_sector=False),
        Option(2, 2, Decimal("600"), third_sector=True),
        Option(3, 3, Decimal("300"), third_sector=True),
    ]
    ballots = [(1,), (1,), (1, 2), (2,), (3,)]
    plain = tally(rule=Rule.GREEDY, budget=Decimal("1000"), options=options, ballots=ballots)
    assert plain.winners == [1]
    kept = tally(rule=Rule.GREEDY, budget=Decimal("1000"), options=options, ballots=ballots, third_sector_minimum=1)
    assert kept.guaranteed == [2]
    assert kept.winners == [2, 3]  # 900 € no longer fits in the 400 € left; 300 € does
    assert kept.steps[0].stage == Stage.MINIMUM


# -- equal shares --------------------------------------------------------------------------------------
@SETTINGS
@given(instances(whole_euros=True, minimum=False))
def test_equal_shares_with_completion__equals_pabutools(case):
    ours = tally(rule=Rule.EQUAL_SHARES, **case)
    assert sorted(ours.winners) == pabutools_outcome(case, rule=Rule.EQUAL_SHARES)


def test_equal_shares__is_fair_to_a_smaller_group():
    """The classic case: 6 voters want the red proposals, 4 the blue ones, money for 5 of 10. The greedy
    rule gives all to the majority; equal shares gives the smaller group its part."""
    red = [Option(i, i, Decimal("100")) for i in range(1, 6)]
    blue = [Option(i, i, Decimal("100")) for i in range(6, 11)]
    ballots = [tuple(o.id for o in red)] * 6 + [tuple(o.id for o in blue)] * 4
    options = red + blue
    greedy = tally(rule=Rule.GREEDY, budget=Decimal("500"), options=options, ballots=ballots)
    shares = tally(rule=Rule.EQUAL_SHARES, budget=Decimal("500"), options=options, ballots=ballots)
    assert set(greedy.winners) == {1, 2, 3, 4, 5}
    assert len(set(shares.winners) & {6, 7, 8, 9, 10}) == 2
    assert len(set(shares.winners) & {1, 2, 3, 4, 5}) == 3
    first = shares.steps[0]
    assert first.stage == Stage.SHARES
    assert first.payers == 6
    assert first.share == Decimal("16.67")


def test_equal_shares__a_share_pays_only_for_what_its_voter_chose():
    options = [Option(1, 1, Decimal("60")), Option(2, 2, Decimal("50"))]
    ballots = [(1,), (1,), (2,)]
    result = tally(rule=Rule.EQUAL_SHARES, budget=Decimal("90"), options=options, ballots=ballots)
    # 30 € each: the two voters of 1 have its 60 €; the one voter of 2 has only 30 € of its 50 €.
    assert result.first_share == Decimal("30.00")
    assert result.winners == [1]
    short = next(s for s in result.steps if s.outcome == Outcome.SHORT_OF_MONEY)
    assert (short.option, short.supporters_money) == (2, Decimal("30.00"))


def test_equal_shares__completion_raises_the_shares_a_euro_at_a_time():
    options = [Option(1, 1, Decimal("60")), Option(2, 2, Decimal("30"))]
    ballots = [(1,), (1,), (2,), (2,)]
    result = tally(rule=Rule.EQUAL_SHARES, budget=Decimal("100"), options=options, ballots=ballots)
    # With 25 € each the voters of 1 have only 50 €; with 30 € each (the sixth count) both fit.
    assert (result.first_share, result.final_share, result.counts) == (Decimal("25.00"), Decimal("30.00"), 6)
    assert result.winners == [2, 1]
    assert all(s.stage == Stage.SHARES for s in result.steps)


# -- the reference: pabutools, in the tests only ---------------------------------------------------------
def pabutools_outcome(case, *, rule):
    """The same instance counted by pabutools: projects named by our tie order so that its tie-breaking
    is ours; Equal Shares with cost satisfaction and a 1 € completion, then the greedy fill."""
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance, Project
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
    from pabutools.tiebreaking import TieBreakingRule

    options, ballots = case["options"], case["ballots"]
    votes = rules.count_votes(options, ballots)
    rank = {o.id: i for i, o in enumerate(rules.tie_order(options, votes))}
    projects = {o.id: Project(f"{rank[o.id]:04d}", Fraction(str(o.cost))) for o in options if votes[o.id] > 0}
    if not projects:
        return []
    instance = Instance(projects.values(), budget_limit=Fraction(str(case["budget"])))
    profile = ApprovalProfile([ApprovalBallot(projects[i] for i in b if i in projects) for b in ballots])
    order = TieBreakingRule(lambda inst, prof, project: project.name)
    if rule == Rule.GREEDY:
        chosen = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat, tie_breaking=order)
    else:
        shares = method_of_equal_shares(
            instance, profile, sat_class=Cost_Sat, voter_budget_increment=1, tie_breaking=order
        )
        chosen = greedy_utilitarian_welfare(
            instance, profile, sat_class=Cost_Sat, tie_breaking=order, initial_budget_allocation=shares
        )
    back = {p.name: i for i, p in projects.items()}
    return sorted(back[p.name] for p in chosen)
