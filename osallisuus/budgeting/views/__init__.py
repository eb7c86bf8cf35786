"""views: split along the journeys; every name is importable from here as before."""

from __future__ import annotations

from ._base import CARD_LANGUAGES, CODE_SESSION_KEY, PAGE_SIZE
from .processes import (
    home,
    process_detail,
    process_edit,
    process_new,
    process_phase,
    results_publish,
    voter_remove,
    voters,
)
from .proposals import (
    proposal_detail,
    proposal_edit,
    proposal_image,
    proposal_join,
    proposal_new,
    proposal_review,
    proposal_withdraw,
)
from .results import (
    deliveries,
    feedback,
    figures,
    pabulib_export,
    purchase_deliver,
    purchase_detail,
    purchase_new,
    results,
)
from .voting import assist, assist_code, ballot, code_ballot, code_start, code_thanks, codes

__all__ = [
    "CARD_LANGUAGES",
    "CODE_SESSION_KEY",
    "PAGE_SIZE",
    "assist",
    "assist_code",
    "ballot",
    "code_ballot",
    "code_start",
    "code_thanks",
    "codes",
    "deliveries",
    "feedback",
    "figures",
    "home",
    "pabulib_export",
    "process_detail",
    "process_edit",
    "process_new",
    "process_phase",
    "proposal_detail",
    "proposal_edit",
    "proposal_image",
    "proposal_join",
    "proposal_new",
    "proposal_review",
    "proposal_withdraw",
    "purchase_deliver",
    "purchase_detail",
    "purchase_new",
    "results",
    "results_publish",
    "voter_remove",
    "voters",
]
