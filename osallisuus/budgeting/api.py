"""The budgeting endpoints under /api/v1/budgeting/: the same services and gates as the pages.

Processes, proposals, one's own ballot, and the results with their explanation step by step. A process
the caller may not see answers 404 exactly like one that does not exist; every refusal is
``{"detail", "field", "code"}`` in the caller's language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from osallisuus.core.api import PageQuery, error_responses
from osallisuus.core.errors import Forbidden

from . import permissions, selectors, services
from .models import Process, Proposal

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

router = Router(tags=["budgeting"])


def _me(request: HttpRequest) -> User:
    return cast("User", request.auth)  # type: ignore[attr-defined]


class BudgetOut(Schema):
    budget: Decimal
    committed: Decimal = Field(description="Agreed purchases and grants not yet carried out.")
    delivered: Decimal
    left: Decimal


class ProcessOut(Schema):
    id: int
    name: str
    description: str
    organisation: str
    phase: str
    ballot_style: str = Field(description="approval, knapsack or limited.")
    max_choices: int | None
    min_share_percent: int | None
    winner_rule: str = Field(description="greedy or equal_shares.")
    third_sector_minimum: int
    proposals_from: dt.date
    proposals_until: dt.date
    costing_until: dt.date
    voting_from: dt.date
    voting_until: dt.date
    results_on: dt.date
    delivery_until: dt.date
    results_published: bool
    budget: BudgetOut


class ProcessDetailOut(ProcessOut):
    may_propose: bool
    may_vote: bool
    has_voted: bool


class ProposalOut(Schema):
    id: int
    number: int
    title: str
    for_whom: str
    why: str
    status: str = Field(description="submitted, feasible, not_feasible or withdrawn.")
    cost: Decimal | None
    provider: str
    third_sector: bool
    reason: str = Field(description="The staff's reason or note, which the proposers see.")
    has_image: bool


class ProposalIn(Schema):
    title: str = Field(max_length=200)
    for_whom: str = Field(max_length=2000)
    why: str = Field(max_length=4000)


class BallotIn(Schema):
    choices: list[int] = Field(description="The ids of the chosen proposals.")


class BallotOut(Schema):
    choices: list[int] = Field(description="The proposals on the caller's own ballot (empty before voting).")
    voted: bool


class ResultRowOut(Schema):
    proposal_id: int
    title: str
    votes: int
    cost: Decimal
    won: bool
    third_sector: bool


class StepOut(Schema):
    stage: str = Field(description="minimum, greedy, shares or fill.")
    outcome: str = Field(description="funded, did_not_fit, short_of_money or no_votes.")
    proposal_id: int
    round: int
    votes: int
    cost: Decimal
    left_before: Decimal
    left_after: Decimal
    share: Decimal | None = Field(description="Equal shares: the most one supporter paid.")
    payers: int | None
    supporters_money: Decimal | None = Field(description="Equal shares: what the supporters had left together.")


class ResultsOut(Schema):
    rule: str
    ballots: int
    budget: Decimal
    spent: Decimal
    left: Decimal
    winners: list[int]
    third_sector_minimum: int
    third_sector_winners: int
    first_share: Decimal | None
    final_share: Decimal | None
    counts: int
    rows: list[ResultRowOut]
    steps: list[StepOut]
    published: bool


def _process_out(process: Process, schema: type[ProcessOut] = ProcessOut, **extra: Any) -> Any:
    return schema(
        id=process.pk,
        name=process.name,
        description=process.description,
        organisation=process.organisation.name,
        phase=process.phase,
        ballot_style=process.ballot_style,
        max_choices=process.max_choices,
        min_share_percent=process.min_share_percent,
        winner_rule=process.winner_rule,
        third_sector_minimum=process.third_sector_minimum,
        proposals_from=process.proposals_from,
        proposals_until=process.proposals_until,
        costing_until=process.costing_until,
        voting_from=process.voting_from,
        voting_until=process.voting_until,
        results_on=process.results_on,
        delivery_until=process.delivery_until,
        results_published=process.results_published_at is not None,
        budget=BudgetOut(**services.budget_use(process)),
        **extra,
    )


def _proposal_out(p: Proposal) -> ProposalOut:
    return ProposalOut(
        id=p.pk,
        number=p.number,
        title=p.title,
        for_whom=p.for_whom,
        why=p.why,
        status=p.status,
        cost=p.cost,
        provider=p.provider_label,
        third_sector=p.third_sector,
        reason=p.decision_reason,
        has_image=bool(p.image),
    )


@router.get("/processes", response={200: list[ProcessOut], **error_responses(401, 422)}, url_name="budgeting_processes")
def processes(request: HttpRequest, page: Query[PageQuery]) -> list[ProcessOut]:
    """The processes the caller takes part in, runs, or carries out a winner of."""
    rows = selectors.processes_for(actor=_me(request))[page.offset : page.offset + page.limit]
    return [_process_out(p) for p in rows]


@router.get(
    "/processes/{process_id}",
    response={200: ProcessDetailOut, **error_responses(401, 404, 422)},
    url_name="budgeting_process",
)
def process_detail(request: HttpRequest, process_id: int) -> Any:
    me = _me(request)
    process = selectors.process_get(actor=me, pk=process_id, route=request.path)
    return _process_out(
        process,
        ProcessDetailOut,
        may_propose=bool(permissions.can_propose(me, process)),
        may_vote=bool(permissions.can_vote(me, process)),
        has_voted=selectors.has_voted(actor=me, process=process) is not None,
    )


@router.get(
    "/processes/{process_id}/proposals",
    response={200: list[ProposalOut], **error_responses(401, 404, 422)},
    url_name="budgeting_proposals",
)
def proposals(request: HttpRequest, process_id: int) -> Any:
    process = selectors.process_get(actor=_me(request), pk=process_id, route=request.path)
    return [_proposal_out(p) for p in selectors.proposals_of(process=process)]


@router.post(
    "/processes/{process_id}/proposals",
    response={201: ProposalOut, **error_responses(400, 401, 403, 404, 422)},
    url_name="budgeting_proposal_create",
)
def proposal_create(request: HttpRequest, process_id: int, data: ProposalIn) -> Any:
    """Make a proposal (without a picture; add one on the page)."""
    me = _me(request)
    process = selectors.process_get(actor=me, pk=process_id, route=request.path)
    decision = permissions.can_propose(me, process)
    if not decision:
        raise Forbidden(decision.reason)
    proposal = services.proposal_create(actor=me, process=process, data=data.dict())
    return 201, _proposal_out(proposal)


@router.get(
    "/proposals/{proposal_id}",
    response={200: ProposalOut, **error_responses(401, 404, 422)},
    url_name="budgeting_proposal",
)
def proposal_detail(request: HttpRequest, proposal_id: int) -> Any:
    return _proposal_out(selectors.proposal_get(actor=_me(request), pk=proposal_id, route=request.path))


@router.get(
    "/processes/{process_id}/ballot",
    response={200: BallotOut, **error_responses(401, 404, 422)},
    url_name="budgeting_ballot",
)
def ballot_get(request: HttpRequest, process_id: int) -> Any:
    """The caller's own ballot. Only the voter themself can read it, and only until voting closes."""
    me = _me(request)
    process = selectors.process_get(actor=me, pk=process_id, route=request.path)
    choices = sorted(services.own_ballot_choices(actor=me, process=process))
    return BallotOut(choices=choices, voted=selectors.has_voted(actor=me, process=process) is not None)


@router.put(
    "/processes/{process_id}/ballot",
    response={200: BallotOut, **error_responses(400, 401, 403, 404, 409, 422)},
    url_name="budgeting_ballot_cast",
)
def ballot_put(request: HttpRequest, process_id: int, data: BallotIn) -> Any:
    """Cast the caller's ballot, or replace it until voting closes."""
    me = _me(request)
    process = selectors.process_get(actor=me, pk=process_id, route=request.path)
    if not permissions.is_eligible(me, process):
        raise Forbidden(permissions.can_vote(me, process).reason)
    services.ballot_cast(actor=me, process=process, choices=data.choices)
    return BallotOut(choices=sorted(services.own_ballot_choices(actor=me, process=process)), voted=True)


@router.get(
    "/processes/{process_id}/results",
    response={200: ResultsOut, **error_responses(401, 403, 404, 422)},
    url_name="budgeting_results",
)
def results(request: HttpRequest, process_id: int) -> Any:
    """The winners and why, step by step (the same explanation as the results page)."""
    me = _me(request)
    process = selectors.process_get(actor=me, pk=process_id, route=request.path)
    decision = permissions.results_visible(me, process)
    if not decision:
        raise Forbidden(decision.reason, code="not_published")
    found = selectors.results_of(process=process)
    if found is None:
        raise Forbidden(decision.reason, code="not_published")
    return ResultsOut(
        rule=found.result.rule,
        ballots=found.ballots,
        budget=found.budget,
        spent=found.spent,
        left=found.left,
        winners=[p.pk for p in found.winners],
        third_sector_minimum=found.third_sector_minimum,
        third_sector_winners=found.third_sector_winners,
        first_share=found.first_share,
        final_share=found.final_share,
        counts=found.counts,
        rows=[
            ResultRowOut(
                proposal_id=r.proposal.pk,
                title=r.proposal.title,
                votes=r.votes,
                cost=r.proposal.cost or Decimal("0"),
                won=r.won,
                third_sector=r.proposal.third_sector,
            )
            for r in found.rows
        ],
        steps=[
            StepOut(
                stage=s.stage,
                outcome=s.outcome,
                proposal_id=s.proposal.pk,
                round=s.round,
                votes=s.votes,
                cost=s.cost,
                left_before=s.left_before,
                left_after=s.left_after,
                share=s.share,
                payers=s.payers,
                supporters_money=s.supporters_money,
            )
            for s in found.steps
        ],
        published=found.published,
    )
