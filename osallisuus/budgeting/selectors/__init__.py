"""Reads of participatory budgeting. Gates answer the same 404 for missing and forbidden; every read of
another person's data (the names on the list of voters, the co-proposers) is in the access log.

No read here joins a ballot to a voter: the ballots are read only as anonymous sets of choices
(``services.ballots_of``), the list of who voted only as people and methods.
"""

from __future__ import annotations

from .pages import (
    PHASE_DATES,
    Overview,
    PhaseRow,
    ProposalPage,
    VoterRow,
    ballot_options,
    code_counts,
    eligible_entry_get,
    has_voted,
    log_people_shown,
    overview,
    process_by_code_key,
    process_get,
    process_get_for_export,
    process_get_for_staff,
    processes_for,
    proposal_get,
    proposal_page,
    proposals_of,
    proposals_waiting,
    purchase_get,
    purchase_of_voter,
    voter_rows,
    voters_of,
    votes_waiting,
)
from .results import (
    Feedback,
    FigureRow,
    ResultRow,
    Results,
    ResultStep,
    deliveries_for,
    feedback_of,
    figures,
    results_of,
)

__all__ = [
    "PHASE_DATES",
    "Feedback",
    "FigureRow",
    "Overview",
    "PhaseRow",
    "ProposalPage",
    "ResultRow",
    "ResultStep",
    "Results",
    "VoterRow",
    "ballot_options",
    "code_counts",
    "deliveries_for",
    "eligible_entry_get",
    "feedback_of",
    "figures",
    "has_voted",
    "log_people_shown",
    "overview",
    "process_by_code_key",
    "process_get",
    "process_get_for_export",
    "process_get_for_staff",
    "processes_for",
    "proposal_get",
    "proposal_page",
    "proposals_of",
    "proposals_waiting",
    "purchase_get",
    "purchase_of_voter",
    "results_of",
    "voter_rows",
    "voters_of",
    "votes_waiting",
]
