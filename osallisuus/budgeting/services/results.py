"""The count and the results: options and ballots to the rule, the explanation, publishing."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallisuus.core import events
from osallisuus.core.errors import Conflict

from .. import rules
from ..models import (
    BallotChoice,
    Process,
    Proposal,
    Result,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import User
from ._base import BudgetingError, _lock, _require_staff, tell_voters


# -- the count and the results -------------------------------------------------------------------------
def options_of(process: Process) -> list[rules.Option]:
    return [
        rules.Option(p.pk, p.number, p.cost or Decimal("0"), p.third_sector)
        for p in process.proposals.filter(status=Proposal.Status.FEASIBLE).order_by("number")
    ]


def ballots_of(process: Process) -> list[tuple[int, ...]]:
    """Each ballot's choices, ballots in the order of their random ids (no voter, no time)."""
    grouped: dict[Any, list[int]] = defaultdict(list)
    rows = BallotChoice.objects.filter(ballot__process=process).order_by("ballot_id", "proposal_id")
    for ballot_id, proposal_id in rows.values_list("ballot_id", "proposal_id"):
        grouped[ballot_id].append(proposal_id)
    return [tuple(v) for v in grouped.values()]


def explanation_of(result: rules.Result) -> dict[str, Any]:
    """The rule's result as JSON (money as text, so it stays exact)."""

    def money(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "rule": str(result.rule),
        "budget": str(result.budget),
        "ballots": result.ballots,
        "votes": {str(k): v for k, v in result.votes.items()},
        "winners": result.winners,
        "spent": str(result.spent),
        "left": str(result.left),
        "third_sector_minimum": result.third_sector_minimum,
        "third_sector_winners": result.third_sector_winners,
        "guaranteed": result.guaranteed,
        "first_share": money(result.first_share),
        "final_share": money(result.final_share),
        "counts": result.counts,
        "steps": [
            {
                "stage": str(s.stage),
                "outcome": str(s.outcome),
                "proposal": s.option,
                "round": s.round,
                "votes": s.votes,
                "cost": str(s.cost),
                "left_before": str(s.left_before),
                "left_after": str(s.left_after),
                "share": money(s.share),
                "payers": s.payers,
                "effective": money(s.effective),
                "supporters_money": money(s.supporters_money),
            }
            for s in result.steps
        ],
    }


def _count(process: Process) -> Result:
    counted = rules.tally(
        rule=process.winner_rule,
        budget=process.budget,
        options=options_of(process),
        ballots=ballots_of(process),
        third_sector_minimum=process.third_sector_minimum,
    )
    Result.objects.filter(process=process).delete()
    return Result.objects.create(
        process=process,
        rule=process.winner_rule,
        ballots=counted.ballots,
        spent=counted.spent,
        explanation=explanation_of(counted),
    )


@transaction.atomic
def results_publish(*, actor: User, process: Process) -> Process:
    """Publish the counted results to everyone in the process; the voters are told."""
    process = _lock(process)
    _require_staff(actor, process)
    if process.phase != Process.Phase.RESULTS:
        raise BudgetingError(_("Results can be published after voting has closed."))
    if process.results_published_at is not None:
        raise Conflict(_("The results have already been published."), code="already_published")
    process.results_published_at = timezone.now()
    process.save(update_fields=["results_published_at", "updated_at"])
    events.record(actor=actor, verb="budgeting.results.published", target=process)
    tell_voters(
        process,
        kind="budgeting.results",
        subject=gettext_lazy("Results: %(process)s"),
        message=gettext_lazy("The results of %(process)s are out. You can read which proposals won and why."),
        url=reverse("budgeting:results", args=[process.pk]),
    )
    return process


def winner_ids(process: Process) -> list[int]:
    result = Result.objects.filter(process=process).first()
    return list(result.explanation.get("winners", [])) if result is not None else []
