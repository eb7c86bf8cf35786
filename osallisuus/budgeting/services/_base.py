"""Writes of participatory budgeting: one function per change, every one in a transaction.

Anonymity rules every service here keeps:

* a ballot is stored without its voter, without a time and without how it was cast; the list of
  who voted (``Participation``) is written separately and never points to the ballot;
* a voter with an account finds their own ballot again by ``_voter_key`` (a keyed hash only this
  service can compute); the keys are wiped when voting closes;
* change events about voting name the process, never the ballot, and never the choices;
* a voting code is stored as a keyed hash and marked used; nothing links it to the ballot.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.utils.crypto import salted_hmac

from osallisuus.accounts import selectors as accounts
from osallisuus.core import formatting
from osallisuus.core.errors import Forbidden, Refusal
from osallisuus.core.notifications import notify

from .. import permissions
from ..models import (
    Process,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


class BudgetingError(Refusal):
    """A refusal of participatory budgeting, in the user's language."""


class BudgetingForbidden(Forbidden):
    pass


FEEDBACK_INSTRUMENT = "budgeting-delivery-feedback"
FEEDBACK_MODULE = "budgeting"
RULE_FIELDS = (
    "budget",
    "ballot_style",
    "max_choices",
    "min_share_percent",
    "winner_rule",
    "third_sector_minimum",
    "electorate",
    "activity",
    "electorate_organisation",
)
PROCESS_FIELDS = (
    "name",
    "description",
    *RULE_FIELDS,
    "proposals_from",
    "proposals_until",
    "costing_until",
    "voting_from",
    "voting_until",
    "results_on",
    "delivery_until",
)
MAX_CODES = 500
IMAGE_MAX_SIDE = 1600
CODE_ALPHABET = "ACDEFHJKLMNPRTUVWXY3479"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4

# -- keys and codes -----------------------------------------------------------------------------------


def _voter_key(process_id: int, user_id: int) -> str:
    """The key with which a voter finds their own ballot: a keyed hash of the process and the account.
    Nobody can compute it without the service's secret; it is wiped when voting closes."""
    return salted_hmac("osallisuus.budgeting.ballot", f"{process_id}:{user_id}", algorithm="sha256").hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in str(code).upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return salted_hmac("osallisuus.budgeting.code", normalise_code(code), algorithm="sha256").hexdigest()


def _new_code() -> str:
    groups = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS)]
    return "-".join(groups)


def _lock(process: Process) -> Process:
    return Process.objects.select_for_update().get(pk=process.pk)


def _require(decision: Any, *, field: str | None = None) -> None:
    if not decision:
        raise BudgetingError(decision.reason, field=field)


def _require_staff(actor: User, process: Process) -> None:
    decision = permissions.can_run(actor, process)
    if not decision:
        raise BudgetingForbidden(decision.reason)


def tell_voters(process: Process, *, kind: str, subject: Any, message: Any, url: str) -> None:
    people = accounts.users_by_ids(ids=permissions.eligible_ids(process))
    params = {"process": process.name, "until": lambda: formatting.date(process.voting_until)}
    for person in people.values():
        if person.is_active:
            notify(user=person, kind=kind, subject=subject, message=message, params=params, url=url)
