"""Gates, lists and the page models of processes, proposals and the list of voters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from osallisuus.accounts import selectors as accounts
from osallisuus.accounts.permissions import Decision
from osallisuus.core.access import Shown, gate, log_listing

from .. import permissions, services
from ..models import EligibleVoter, Participation, Process, Proposal, ProposalEvent, Purchase, VotingCode

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


# -- gates --------------------------------------------------------------------------------------------
def process_get(*, actor: User, pk: object, purpose: str = "budgeting process", route: str = "") -> Process:
    """A process the actor may see: staff, its voters, its providers. Nobody's personal data."""
    return gate(
        permissions.processes_visible_to(actor).select_related("organisation", "activity", "electorate_organisation"),
        pk=pk,
        actor=actor,
        purpose=purpose,
        subject_of=lambda p: None,
        route=route,
    )


def process_get_for_staff(*, actor: User, pk: object, route: str = "") -> Process:
    return gate(
        permissions.processes_run_by(actor).select_related("organisation", "activity", "electorate_organisation"),
        pk=pk,
        actor=actor,
        purpose="budgeting process",
        subject_of=lambda p: None,
        route=route,
    )


def process_get_for_export(*, actor: User, pk: object, route: str = "") -> Process:
    """A process whose anonymous data the actor may export (its staff, and people who follow the figures)."""
    return gate(
        permissions.processes_exportable_by(actor).select_related("organisation"),
        pk=pk,
        actor=actor,
        purpose="budgeting process",
        subject_of=lambda p: None,
        route=route,
    )


def process_by_code_key(*, key: str) -> Process:
    """The process of a printed card's address (open to people without an account while voting is on)."""
    process = Process.objects.filter(code_key=str(key)[:20]).exclude(phase=Process.Phase.DRAFT).first()
    if process is None:
        raise Http404
    return process


def proposal_get(*, actor: User, pk: object, route: str = "") -> Proposal:
    """A proposal of a process the actor may see. Its texts are the group's; who made it is not shown here."""
    return gate(
        Proposal.objects.filter(process__in=permissions.processes_visible_to(actor)).select_related(
            "process", "process__organisation", "provider"
        ),
        pk=pk,
        actor=actor,
        purpose="budgeting proposal",
        subject_of=lambda p: None,
        route=route,
    )


def purchase_get(*, actor: User, pk: object, route: str = "") -> Purchase:
    return gate(
        permissions.purchases_visible_to(actor).select_related("process", "proposal", "provider"),
        pk=pk,
        actor=actor,
        purpose="budgeting purchase",
        subject_of=lambda p: None,
        route=route,
    )


def purchase_of_voter(*, actor: User, pk: object, route: str = "") -> Purchase:
    """A purchase of a process the actor may take part in (to give feedback on it)."""
    return gate(
        Purchase.objects.filter(process__in=permissions.processes_as_voter(actor)).select_related("process"),
        pk=pk,
        actor=actor,
        purpose="budgeting purchase",
        subject_of=lambda p: None,
        route=route,
    )


def eligible_entry_get(*, actor: User, pk: object, route: str = "") -> EligibleVoter:
    return gate(
        EligibleVoter.objects.filter(process__in=permissions.processes_run_by(actor)).select_related(
            "process", "person"
        ),
        pk=pk,
        actor=actor,
        purpose="budgeting voter list",
        subject_of=lambda e: e.person_id,
        route=route,
    )


# -- lists --------------------------------------------------------------------------------------------
def processes_for(*, actor: User) -> QuerySet[Process]:
    return (
        permissions.processes_visible_to(actor)
        .select_related("organisation")
        .annotate(n_proposals=Count("proposals", filter=~Q(proposals__status=Proposal.Status.WITHDRAWN), distinct=True))
        .order_by("-voting_from", "-pk")
    )


def proposals_of(*, process: Process, with_withdrawn: bool = False) -> QuerySet[Proposal]:
    qs = process.proposals.select_related("provider").order_by("number")
    return qs if with_withdrawn else qs.exclude(status=Proposal.Status.WITHDRAWN)


def ballot_options(*, process: Process) -> list[Proposal]:
    return list(process.proposals.filter(status=Proposal.Status.FEASIBLE).select_related("provider").order_by("number"))


def proposals_waiting(*, actor: User) -> int:
    """Proposals waiting for the staff's check in the processes the actor runs (the front page's queue)."""
    return Proposal.objects.filter(
        process__in=permissions.processes_run_by(actor),
        process__phase__in=[Process.Phase.PROPOSALS, Process.Phase.COSTING],
        status=Proposal.Status.SUBMITTED,
    ).count()


def votes_waiting(*, actor: User) -> int:
    """Processes open for voting in which the actor has not voted yet."""
    today = timezone.localdate()
    return (
        permissions.processes_as_voter(actor)
        .filter(phase=Process.Phase.VOTING, voting_until__gte=today)
        .exclude(pk__in=Participation.objects.filter(voter=actor).values("process_id"))
        .count()
    )


def has_voted(*, actor: User, process: Process) -> Participation | None:
    return Participation.objects.filter(process=process, voter=actor).first()


# -- the process page ---------------------------------------------------------------------------------
PHASE_DATES = {
    Process.Phase.PROPOSALS: ("proposals_from", "proposals_until"),
    Process.Phase.COSTING: ("proposals_until", "costing_until"),
    Process.Phase.VOTING: ("voting_from", "voting_until"),
    Process.Phase.RESULTS: ("results_on", None),
    Process.Phase.DELIVERY: ("results_on", "delivery_until"),
}


@dataclass
class PhaseRow:
    code: str
    label: str
    start: dt.date | None
    end: dt.date | None
    state: str
    """``done``, ``current`` or ``coming``."""


@dataclass
class Overview:
    process: Process
    phases: list[PhaseRow]
    proposals: list[Proposal]
    own_proposal_ids: set[int]
    budget: dict[str, Decimal]
    is_staff: bool
    is_voter: bool
    can_propose: Decision
    can_vote: Decision
    can_assist: bool
    participation: Participation | None
    turnout: int
    eligible_count: int | None
    codes_issued: int
    codes_used: int
    waiting: int
    result_visible: bool
    purchases: list[Purchase] = field(default_factory=list)
    feedback_open: list[Purchase] = field(default_factory=list)
    next_phase: str | None = None
    next_phase_label: str = ""
    to_purchase: list[Proposal] = field(default_factory=list)
    """The staff's view: winners that have no purchase or grant yet."""


def _phases(process: Process) -> list[PhaseRow]:
    rows = []
    current = process.phase_index()
    for code, label in Process.Phase.choices:
        if code in (Process.Phase.DRAFT, Process.Phase.FINISHED):
            continue
        start_name, end_name = PHASE_DATES[Process.Phase(code)]
        index = Process.PHASE_ORDER.index(code)
        state = "done" if index < current else "current" if index == current else "coming"
        rows.append(
            PhaseRow(
                code=code,
                label=str(label),
                start=getattr(process, start_name),
                end=getattr(process, end_name) if end_name else None,
                state=state,
            )
        )
    return rows


def overview(*, process: Process, actor: User) -> Overview:
    """Everything the process page shows, for this reader (a fixed number of queries)."""
    is_staff = permissions.is_staff_of(actor, process)
    is_voter = permissions.is_eligible(actor, process)
    proposals = list(proposals_of(process=process, with_withdrawn=is_staff))
    own = set(Proposal.objects.filter(process=process, authors__person=actor).values_list("pk", flat=True))
    if not is_staff:
        proposals = [p for p in proposals if p.status != Proposal.Status.WITHDRAWN or p.pk in own]
    codes = process.codes.aggregate(issued=Count("id"), used=Count("id", filter=Q(used=True)))
    purchases = list(process.purchases.select_related("proposal", "provider").order_by("agreed_on", "pk"))
    feedback_open = []
    if is_voter:
        feedback_open = [
            p
            for p in purchases
            if p.status == Purchase.Status.DELIVERED and not services.feedback_given(actor=actor, purchase=p)
        ]
    nxt = services.NEXT_PHASE.get(Process.Phase(process.phase))
    to_purchase: list[Proposal] = []
    if is_staff and process.results_published_at is not None:
        bought = {p.proposal_id for p in purchases}
        by_id = {p.pk: p for p in proposals}
        to_purchase = [by_id[i] for i in services.winner_ids(process) if i in by_id and i not in bought]
    return Overview(
        process=process,
        phases=_phases(process),
        proposals=proposals,
        own_proposal_ids=own,
        budget=services.budget_use(process),
        is_staff=is_staff,
        is_voter=is_voter,
        can_propose=permissions.can_propose(actor, process),
        can_vote=permissions.can_vote(actor, process),
        can_assist=bool(permissions.can_assist(actor, process)),
        participation=has_voted(actor=actor, process=process),
        turnout=process.participations.count(),
        eligible_count=len(permissions.eligible_ids(process)) if is_staff else None,
        codes_issued=codes["issued"] or 0,
        codes_used=codes["used"] or 0,
        waiting=sum(1 for p in proposals if p.status == Proposal.Status.SUBMITTED),
        result_visible=bool(permissions.results_visible(actor, process)),
        purchases=purchases,
        feedback_open=feedback_open,
        next_phase=str(nxt) if nxt else None,
        next_phase_label=str(Process.Phase(nxt).label) if nxt else "",
        to_purchase=to_purchase,
    )


# -- proposals ----------------------------------------------------------------------------------------
@dataclass
class ProposalPage:
    proposal: Proposal
    history: list[ProposalEvent]
    is_author: bool
    co_authors: list[Any]
    """The other proposers' names, shown only to a proposer (each read is logged)."""
    n_authors: int
    can_revise: Decision
    can_review: Decision
    is_staff: bool


def proposal_page(*, proposal: Proposal, actor: User, route: str = "") -> ProposalPage:
    author_ids = list(proposal.authors.values_list("person_id", flat=True))
    is_author = actor.pk in author_ids
    co_authors: list[Any] = []
    if is_author and len(author_ids) > 1:
        people = accounts.users_by_ids(ids=[i for i in author_ids if i != actor.pk])
        co_authors = sorted(people.values(), key=lambda u: u.full_name)
        shown = Shown(actor, "budgeting proposers", route=route)
        shown.add(*co_authors)
        shown.log()
    is_staff = permissions.is_staff_of(actor, proposal.process)
    history = list(proposal.history.all()) if (is_author or is_staff) else []
    return ProposalPage(
        proposal=proposal,
        history=history,
        is_author=is_author,
        co_authors=co_authors,
        n_authors=len(author_ids),
        can_revise=permissions.can_revise(actor, proposal),
        can_review=permissions.can_review(actor, proposal),
        is_staff=is_staff,
    )


# -- the staff's list of voters -----------------------------------------------------------------------
@dataclass
class VoterRow:
    person: Any
    entry_id: int | None
    voted: bool
    method: str
    method_label: str


def voters_of(*, process: Process) -> QuerySet[Any]:
    """The account holders who may vote (the page sorts them in Finnish order and pages them)."""
    return accounts.users_in(ids=permissions.eligible_ids(process))


def voter_rows(*, process: Process, people: list[Any], actor: User, route: str = "") -> list[VoterRow]:
    """One row per person shown: whether they voted and how (never what). Each person shown is logged."""
    voted = {p.voter_id: p for p in Participation.objects.filter(process=process, voter_id__in=[u.pk for u in people])}
    entries = dict(
        EligibleVoter.objects.filter(process=process, person_id__in=[u.pk for u in people]).values_list(
            "person_id", "pk"
        )
    )
    log_listing(
        actor=actor,
        rows=people,
        subject_of=lambda u: u.pk,
        object_of=lambda u: ("accounts.user", u.pk),
        purpose="budgeting voter list",
        route=route,
    )
    rows = []
    for person in people:
        participation = voted.get(person.pk)
        rows.append(
            VoterRow(
                person=person,
                entry_id=entries.get(person.pk),
                voted=participation is not None,
                method=participation.method if participation else "",
                method_label=str(participation.get_method_display()) if participation else "",
            )
        )
    return rows


def log_people_shown(*, actor: User, people: list[Any], route: str = "") -> None:
    """The names a staff page offers to choose from (helping someone vote): each person logged once."""
    log_listing(
        actor=actor,
        rows=people,
        subject_of=lambda u: u.pk,
        object_of=lambda u: ("accounts.user", u.pk),
        purpose="budgeting assisted voting",
        route=route,
    )


def code_counts(*, process: Process) -> dict[str, int]:
    agg = VotingCode.objects.filter(process=process).aggregate(
        issued=Count("id"), used=Count("id", filter=Q(used=True))
    )
    return {"issued": agg["issued"] or 0, "used": agg["used"] or 0}
