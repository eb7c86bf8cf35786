"""Writes of ballots: with an account, assisted, with a voting code; the codes themselves."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallisuus.core import events, formatting
from osallisuus.core.errors import Conflict
from osallisuus.core.notifications import notify

from .. import permissions
from ..models import (
    Ballot,
    BallotChoice,
    Participation,
    Process,
    Proposal,
    VotingCode,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import User
from ._base import (
    MAX_CODES,
    BudgetingError,
    BudgetingForbidden,
    _lock,
    _new_code,
    _require,
    _require_staff,
    _voter_key,
    code_hash,
    normalise_code,
)


# -- ballots -------------------------------------------------------------------------------------------
def check_choices(process: Process, choices: Iterable[Any]) -> list[Proposal]:
    """The proposals a ballot chose, checked against the ballot style. Raises a refusal naming the field
    ``choices`` with what to change."""
    try:
        ids = {int(str(c)) for c in choices}
    except ValueError as exc:
        raise BudgetingError(_("Choose among the proposals on the ballot."), field="choices") from exc
    if not ids:
        raise BudgetingError(_("Choose at least one proposal."), field="choices")
    chosen = list(process.proposals.filter(pk__in=ids, status=Proposal.Status.FEASIBLE))
    if len(chosen) != len(ids):
        raise BudgetingError(_("Choose among the proposals on the ballot."), field="choices")
    total = sum((p.cost or Decimal("0") for p in chosen), Decimal("0"))
    if process.ballot_style == Process.BallotStyle.KNAPSACK:
        if total > process.budget:
            raise BudgetingError(
                _(
                    "Your choices cost %(total)s together, but the budget is %(budget)s. Leave out proposals worth at "
                    "least %(over)s."
                )
                % {
                    "total": formatting.money(total),
                    "budget": formatting.money(process.budget),
                    "over": formatting.money(total - process.budget),
                },
                field="choices",
                code="over_budget",
            )
        if process.min_share_percent:
            least = (process.budget * process.min_share_percent / 100).quantize(Decimal("0.01"))
            if total < least:
                raise BudgetingError(
                    _(
                        "Your choices cost %(total)s together. Choose proposals worth at least %(least)s "
                        "(%(share)s %% of the budget)."
                    )
                    % {
                        "total": formatting.money(total),
                        "least": formatting.money(least),
                        "share": process.min_share_percent,
                    },
                    field="choices",
                    code="under_minimum",
                )
    if (
        process.ballot_style == Process.BallotStyle.LIMITED
        and process.max_choices
        and len(chosen) > process.max_choices
    ):
        raise BudgetingError(
            _("You may choose at most %(max)s proposals. You chose %(n)s.")
            % {"max": process.max_choices, "n": len(chosen)},
            field="choices",
            code="too_many",
        )
    return chosen


def _store_ballot(process: Process, *, key: str | None, chosen: list[Proposal]) -> None:
    """Write the ballot (a new one, or the voter's own one replaced). Called with the process locked."""
    ballot = Ballot.objects.filter(process=process, voter_key=key).first() if key else None
    if ballot is None:
        ballot = Ballot.objects.create(process=process, voter_key=key)
    else:
        ballot.choices.all().delete()
    BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, proposal=p) for p in chosen)


def check_voting_open(process: Process) -> None:
    if not permissions.voting_is_open(process):
        if process.phase == Process.Phase.VOTING or process.is_at_least(Process.Phase.RESULTS):
            message = _("Voting has closed. It was open %(from)s–%(until)s.")
        else:
            message = _("Voting is not open yet. It is open %(from)s–%(until)s.")
        raise BudgetingError(
            message % {"from": formatting.date(process.voting_from), "until": formatting.date(process.voting_until)},
            code="voting_closed",
        )


def _already_with_code(process: Process, person: User) -> None:
    if Participation.objects.filter(process=process, voter=person, method=Participation.Method.CODE).exists():
        raise BudgetingError(
            _("This person has already voted with a voting code. A code vote cannot be changed."),
            code="voted_with_code",
        )


@transaction.atomic
def ballot_cast(*, actor: User, process: Process, choices: Iterable[Any]) -> None:
    """The actor's own ballot: a new one, or the one they cast earlier replaced (until voting closes)."""
    process = _lock(process)
    check_voting_open(process)
    _require(permissions.can_vote(actor, process))
    _already_with_code(process, actor)
    chosen = check_choices(process, choices)
    _store_ballot(process, key=_voter_key(process.pk, actor.pk), chosen=chosen)
    Participation.objects.update_or_create(
        process=process, voter=actor, defaults={"method": Participation.Method.ONLINE, "helped_by": None}
    )
    events.record(actor=actor, verb="budgeting.ballot.cast", target=process, subject=actor)


def own_ballot_choices(*, actor: User, process: Process) -> set[int]:
    """The proposals on the actor's own ballot (empty when they have not voted, or voting has closed).
    Only the voter themself: the key is computed from the actor's own account."""
    key = _voter_key(process.pk, actor.pk)
    return set(
        BallotChoice.objects.filter(ballot__process=process, ballot__voter_key=key).values_list(
            "proposal_id", flat=True
        )
    )


@transaction.atomic
def ballot_cast_assisted(*, helper: User, process: Process, person: User, choices: Iterable[Any]) -> None:
    """A staff member records a ballot for a person who asked for help. Logged as assisted (who helped,
    when); the choice is stored only on the anonymous ballot, and the helper never sees it again."""
    process = _lock(process)
    decision = permissions.can_assist(helper, process)
    if not decision:
        raise BudgetingForbidden(decision.reason)
    check_voting_open(process)
    if not permissions.is_eligible(person, process):
        raise BudgetingError(_("This person is not one of the voters of this process."), field="person")
    _already_with_code(process, person)
    chosen = check_choices(process, choices)
    _store_ballot(process, key=_voter_key(process.pk, person.pk), chosen=chosen)
    Participation.objects.update_or_create(
        process=process, voter=person, defaults={"method": Participation.Method.ASSISTED, "helped_by": helper}
    )
    events.record(actor=helper, verb="budgeting.ballot.assisted", target=process, subject=person)
    notify(
        user=person,
        kind="budgeting.assisted",
        subject=gettext_lazy("Your vote was recorded with help"),
        message=gettext_lazy(
            "Your vote in %(process)s was recorded with help on %(when)s. You can look at it and "
            "change it yourself until voting closes."
        ),
        params={"process": process.name, "when": lambda: formatting.datetime(timezone.now())},
        url=reverse("budgeting:ballot", args=[process.pk]),
    )


def code_check(*, process: Process, code: str) -> VotingCode:
    """The unused code of this process, or a refusal that says what is wrong (nothing is changed)."""
    found = VotingCode.objects.filter(code_hash=code_hash(code)).first() if normalise_code(code) else None
    if found is None:
        raise BudgetingError(
            _("This code is not valid. Check the code on your card."), field="code", code="code_invalid"
        )
    if found.process_id != process.pk:
        raise BudgetingError(
            _("This code is for another vote. Check the address on your card."), field="code", code="code_other_process"
        )
    if found.used:
        raise BudgetingError(
            _("This code has already been used. Each code votes once."), field="code", code="code_used"
        )
    return found


@transaction.atomic
def ballot_cast_with_code(
    *, process: Process, code: str, choices: Iterable[Any], actor: User | None = None, helper: User | None = None
) -> None:
    """A ballot cast with an anonymous voting code (once). ``helper``: a staff member entering the ballot
    for a person who asked for help. A logged-in voter of the group who uses a code is put on the list of
    who voted, so nobody votes twice; nothing links the code or the person to the ballot."""
    process = _lock(process)
    if helper is not None:
        decision = permissions.can_assist(helper, process)
        if not decision:
            raise BudgetingForbidden(decision.reason)
    check_voting_open(process)
    found = code_check(process=process, code=code)
    found = VotingCode.objects.select_for_update().get(pk=found.pk)
    if found.used:
        raise BudgetingError(
            _("This code has already been used. Each code votes once."), field="code", code="code_used"
        )
    voter = actor if helper is None and actor is not None and permissions.is_eligible(actor, process) else None
    if voter is not None and Participation.objects.filter(process=process, voter=voter).exists():
        raise BudgetingError(
            _("You have already voted in this process. A code is for people without an account."),
            field="code",
            code="already_voted",
        )
    chosen = check_choices(process, choices)
    _store_ballot(process, key=None, chosen=chosen)
    found.used = True
    found.save(update_fields=["used"])
    method = Participation.Method.ASSISTED if helper is not None else Participation.Method.CODE
    try:
        with transaction.atomic():
            Participation.objects.create(process=process, voter=voter, method=method, helped_by=helper)
    except IntegrityError as exc:
        raise Conflict(_("You have already voted in this process."), code="already_voted") from exc
    if helper is not None:
        events.record(actor=helper, verb="budgeting.ballot.assisted_code", target=process)
    else:
        events.record(actor=actor, verb="budgeting.ballot.cast_code", target=process, subject=voter)


@transaction.atomic
def codes_issue(*, actor: User, process: Process, count: int) -> list[str]:
    """New voting codes for people without an account. The codes themselves are returned only now (to be
    printed); the service keeps only their keyed hashes."""
    process = _lock(process)
    _require_staff(actor, process)
    if process.is_at_least(Process.Phase.RESULTS):
        raise BudgetingError(_("Voting has closed: no more codes can be made."))
    if not 1 <= count <= MAX_CODES:
        raise BudgetingError(_("Make 1–%(max)s codes at a time.") % {"max": MAX_CODES}, field="count")
    batch = (process.codes.aggregate(n=Max("batch"))["n"] or 0) + 1
    codes: list[str] = []
    hashes: set[str] = set()
    while len(codes) < count:
        code = _new_code()
        digest = code_hash(code)
        if digest in hashes or VotingCode.objects.filter(code_hash=digest).exists():
            continue
        hashes.add(digest)
        codes.append(code)
    VotingCode.objects.bulk_create(VotingCode(process=process, code_hash=h, batch=batch) for h in hashes)
    events.record(actor=actor, verb="budgeting.codes.issued", target=process, data={"count": count, "batch": batch})
    return codes
