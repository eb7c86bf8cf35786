"""Reads of the results, deliveries, feedback and figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum

from osallisuus.core.suppression import min_cell_size
from osallisuus.measurement import selectors as measurement

from .. import permissions, services
from ..models import Process, Proposal, Purchase, Result

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


# -- results ------------------------------------------------------------------------------------------
@dataclass
class ResultRow:
    proposal: Proposal
    votes: int
    won: bool
    guaranteed: bool
    bar: float
    """Bar length in percent of the most votes (the chart)."""


@dataclass
class ResultStep:
    stage: str
    outcome: str
    proposal: Proposal
    round: int
    votes: int
    cost: Decimal
    left_before: Decimal
    left_after: Decimal
    share: Decimal | None
    payers: int | None
    effective: Decimal | None
    supporters_money: Decimal | None


@dataclass
class Results:
    process: Process
    result: Result
    rows: list[ResultRow]
    steps: list[ResultStep]
    winners: list[Proposal]
    spent: Decimal
    left: Decimal
    budget: Decimal
    spent_bar: float
    ballots: int
    first_share: Decimal | None
    final_share: Decimal | None
    counts: int
    third_sector_minimum: int
    third_sector_winners: int
    guaranteed: list[int]
    published: bool

    @property
    def minimum_met(self) -> bool:
        return self.third_sector_winners >= self.third_sector_minimum

    @property
    def stages(self) -> list[str]:
        return list(dict.fromkeys(s.stage for s in self.steps))


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def results_of(*, process: Process) -> Results | None:
    result = Result.objects.filter(process=process).first()
    if result is None:
        return None
    data = result.explanation
    proposals = {p.pk: p for p in process.proposals.select_related("provider")}
    votes = {int(k): v for k, v in data.get("votes", {}).items()}
    winners = [proposals[i] for i in data.get("winners", []) if i in proposals]
    won = {p.pk for p in winners}
    guaranteed = set(data.get("guaranteed", []))
    top = max(votes.values(), default=0)
    rows = [
        ResultRow(
            proposal=proposals[pk],
            votes=n,
            won=pk in won,
            guaranteed=pk in guaranteed,
            bar=round(100 * n / top, 1) if top else 0.0,
        )
        for pk, n in sorted(votes.items(), key=lambda kv: (-kv[1], proposals[kv[0]].cost or 0, proposals[kv[0]].number))
        if pk in proposals
    ]
    steps = [
        ResultStep(
            stage=s["stage"],
            outcome=s["outcome"],
            proposal=proposals[s["proposal"]],
            round=s["round"],
            votes=s["votes"],
            cost=Decimal(s["cost"]),
            left_before=Decimal(s["left_before"]),
            left_after=Decimal(s["left_after"]),
            share=_dec(s.get("share")),
            payers=s.get("payers"),
            effective=_dec(s.get("effective")),
            supporters_money=_dec(s.get("supporters_money")),
        )
        for s in data.get("steps", [])
        if s["proposal"] in proposals
    ]
    budget = Decimal(data["budget"])
    spent = Decimal(data["spent"])
    return Results(
        process=process,
        result=result,
        rows=rows,
        steps=steps,
        winners=winners,
        spent=spent,
        left=budget - spent,
        budget=budget,
        spent_bar=round(float(100 * spent / budget), 1) if budget else 0.0,
        ballots=int(data.get("ballots", 0)),
        first_share=_dec(data.get("first_share")),
        final_share=_dec(data.get("final_share")),
        counts=int(data.get("counts", 0)),
        third_sector_minimum=int(data.get("third_sector_minimum", 0)),
        third_sector_winners=int(data.get("third_sector_winners", 0)),
        guaranteed=list(guaranteed),
        published=process.results_published_at is not None,
    )


# -- deliveries and figures ---------------------------------------------------------------------------
def deliveries_for(*, actor: User) -> QuerySet[Purchase]:
    """The purchases and grants the actor's organisation carries out (the provider's list)."""
    return (
        Purchase.objects.filter(provider_id__in=permissions.deliver_orgs(actor))
        .select_related("process", "proposal", "provider")
        .order_by("status", "-agreed_on", "pk")
    )


@dataclass
class Feedback:
    answers: int | None
    """How many answered (``None`` when fewer than the floor: then nothing is shown)."""
    mean: Decimal | None
    floor: int


def feedback_of(*, purchase: Purchase) -> Feedback:
    """The participants' feedback on one delivered winner: how many answered and the mean (1–5), from the
    measurement engine's group report with small groups hidden. Never anyone's answers."""
    floor = min_cell_size()
    instrument = measurement.questionnaires_in_use().filter(code=services.FEEDBACK_INSTRUMENT).first()
    if instrument is None:
        return Feedback(None, None, floor)
    report = measurement.breakdown_report(
        instrument=instrument,
        organisation_ids=[purchase.process.organisation_id],
        dimension="activity",
        threshold=floor,
        module=services.FEEDBACK_MODULE,
    )
    ref = services.feedback_ref(purchase)
    for table in report.tables[:1]:
        for cell in table.cells:
            if cell.label == ref and cell.shown:
                return Feedback(cell.n, cell.mean, floor)
    return Feedback(None, None, floor)


@dataclass
class FigureRow:
    process: Process
    proposals: int
    feasible: int
    voters: int
    eligible: int | None
    committed: Decimal
    delivered: Decimal
    left: Decimal
    winners: int
    third_sector_winners: int


def figures(*, actor: User) -> list[FigureRow]:
    """Every process past its proposal phase, as figures only (no person's data)."""
    processes = (
        Process.objects.exclude(phase=Process.Phase.DRAFT)
        .select_related("organisation", "result")
        .annotate(
            n_proposals=Count("proposals", filter=~Q(proposals__status=Proposal.Status.WITHDRAWN), distinct=True),
            n_feasible=Count("proposals", filter=Q(proposals__status=Proposal.Status.FEASIBLE), distinct=True),
            n_voters=Count("participations", distinct=True),
        )
        .order_by("-voting_from", "-pk")
    )
    sums: dict[tuple[int, str], Decimal] = {
        (row["process_id"], row["status"]): row["total"]
        for row in Purchase.objects.values("process_id", "status").annotate(total=Sum("amount")).order_by()
    }
    rows = []
    for p in processes:
        committed = sums.get((p.pk, Purchase.Status.AGREED), Decimal("0.00"))
        delivered = sums.get((p.pk, Purchase.Status.DELIVERED), Decimal("0.00"))
        result = getattr(p, "result", None) if p.results_published_at else None
        explanation = result.explanation if result else {}
        rows.append(
            FigureRow(
                process=p,
                proposals=p.n_proposals,
                feasible=p.n_feasible,
                voters=p.n_voters,
                eligible=None,
                committed=committed,
                delivered=delivered,
                left=p.budget - committed - delivered,
                winners=len(explanation.get("winners", [])),
                third_sector_winners=int(explanation.get("third_sector_winners", 0)),
            )
        )
    return rows
