"""The Pabulib export (``.pb``): the instance, the proposals and the anonymous ballots of one process.

Pabulib (pabulib.org) is the common exchange format of participatory budgeting data: a ``META``
section, a ``PROJECTS`` section and a ``VOTES`` section, each a table separated by semicolons. The
ballots are written in the order of their random ids with running numbers as voter ids; nothing
about the voters (no account, no method, no time) is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .models import Process, Proposal
from .rules import Rule

VOTE_TYPE = "approval"
RULE_NAMES = {Rule.GREEDY: "greedy", Rule.EQUAL_SHARES: "equalshares"}


def _clean(text: object) -> str:
    """One cell: no separators or line breaks inside it."""
    return " ".join(str(text).replace(";", ",").split())


def _number(value: Decimal) -> str:
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else f"{value:.2f}"


def pabulib_text(
    *,
    process: Process,
    proposals: Sequence[Proposal],
    ballots: Sequence[Sequence[int]],
    winners: set[int],
    votes: dict[int, int],
) -> str:
    """The file's text. ``proposals`` are the ones on the ballot; ``ballots`` their ids per ballot."""
    meta: list[tuple[str, str]] = [
        ("description", _clean(process.name)),
        ("country", "Finland"),
        ("unit", _clean(process.organisation.name)),
        ("instance", str(process.voting_from.year)),
        ("num_projects", str(len(proposals))),
        ("num_votes", str(len(ballots))),
        ("budget", _number(process.budget)),
        ("vote_type", VOTE_TYPE),
        ("rule", RULE_NAMES[Rule(process.winner_rule)]),
        ("date_begin", process.voting_from.strftime("%d.%m.%Y")),
        ("date_end", process.voting_until.strftime("%d.%m.%Y")),
        ("language", "fi"),
        ("min_length", "1"),
    ]
    if process.ballot_style == Process.BallotStyle.LIMITED and process.max_choices:
        meta.append(("max_length", str(process.max_choices)))
    if process.ballot_style == Process.BallotStyle.KNAPSACK:
        meta.append(("max_sum_cost", _number(process.budget)))
        if process.min_share_percent:
            meta.append(("min_sum_cost", _number(process.budget * process.min_share_percent / 100)))
    lines = ["META", "key;value"]
    lines += [f"{key};{value}" for key, value in meta]
    lines += ["PROJECTS", "project_id;cost;votes;name;selected"]
    for p in proposals:
        lines.append(
            f"{p.number};{_number(p.cost or Decimal('0'))};{votes.get(p.pk, 0)};{_clean(p.title)};"
            f"{1 if p.pk in winners else 0}"
        )
    number_of = {p.pk: p.number for p in proposals}
    lines += ["VOTES", "voter_id;vote"]
    for index, ballot in enumerate(ballots, start=1):
        chosen = sorted(number_of[i] for i in ballot if i in number_of)
        lines.append(f"{index};{','.join(str(n) for n in chosen)}")
    return "\n".join(lines) + "\n"
