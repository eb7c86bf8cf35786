"""Writes of a process: creating, changing and moving it through its phases; the list of voters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from osallisuus.accounts import selectors as accounts
from osallisuus.core import events
from osallisuus.core.errors import Conflict

from .. import permissions
from ..models import (
    Ballot,
    EligibleVoter,
    Process,
    Proposal,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User
from ._base import PROCESS_FIELDS, RULE_FIELDS, BudgetingError, BudgetingForbidden, _lock, _require_staff, tell_voters
from .results import _count


# -- processes -----------------------------------------------------------------------------------------
def _check_process(process: Process) -> None:
    """The process's own rules, each refusal beside its field; then the model's checks."""
    if process.budget is None or process.budget <= 0:
        raise BudgetingError(_("The budget must be more than 0 €."), field="budget")
    dates = [
        ("proposals_until", process.proposals_from, process.proposals_until),
        ("costing_until", process.proposals_until, process.costing_until),
        ("voting_from", process.costing_until, process.voting_from),
        ("voting_until", process.voting_from, process.voting_until),
        ("results_on", process.voting_until, process.results_on),
        ("delivery_until", process.results_on, process.delivery_until),
    ]
    for name, before, after in dates:
        if before is None or after is None:
            raise BudgetingError(_("Give the date."), field=name if after is None else None)
        if after < before:
            raise BudgetingError(
                _("The phases must follow each other: this date is before the previous one."), field=name
            )
    if process.ballot_style == Process.BallotStyle.LIMITED and not process.max_choices:
        raise BudgetingError(_("Say how many proposals one person may choose."), field="max_choices")
    if process.ballot_style != Process.BallotStyle.LIMITED:
        process.max_choices = None
    if process.ballot_style != Process.BallotStyle.KNAPSACK:
        process.min_share_percent = None
    if process.electorate == Process.Electorate.ACTIVITY and not process.activity_id:
        raise BudgetingError(_("Choose the activity whose participants vote."), field="activity")
    if process.electorate == Process.Electorate.ORGANISATION and not process.electorate_organisation_id:
        raise BudgetingError(_("Choose the organisation whose people vote."), field="electorate_organisation")
    if process.electorate != Process.Electorate.ACTIVITY:
        process.activity = None
    if process.electorate != Process.Electorate.ORGANISATION:
        process.electorate_organisation = None
    try:
        process.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise BudgetingError(messages[0], field=None if field == "__all__" else field) from exc


@transaction.atomic
def process_create(*, actor: User, organisation: Organisation, data: Mapping[str, Any]) -> Process:
    """A new process of the organisation, being prepared (only its staff see it until proposals open)."""
    if organisation.pk not in permissions.staff_orgs(actor):
        raise BudgetingForbidden(_("You cannot start a process for that organisation."), field="organisation")
    process = Process(organisation=organisation, **{k: v for k, v in data.items() if k in PROCESS_FIELDS})
    _check_process(process)
    process.save()
    events.record(actor=actor, verb="budgeting.process.created", target=process)
    return process


@transaction.atomic
def process_update(*, actor: User, process: Process, data: Mapping[str, Any]) -> Process:
    """Change the name, the texts and the dates at any time; the rules (budget, voters, ballot style,
    winner rule, third-sector minimum) only until voting starts."""
    process = _lock(process)
    _require_staff(actor, process)
    changed = [k for k in data if k in PROCESS_FIELDS and getattr(process, k) != data[k]]
    rules_changed = [k for k in changed if k in RULE_FIELDS]
    if rules_changed and process.is_at_least(Process.Phase.VOTING):
        raise BudgetingError(
            _(
                "The rules cannot be changed after voting has started. You can still change the name, the texts "
                "and the dates."
            ),
            field=rules_changed[0],
            code="rules_locked",
        )
    for key in changed:
        setattr(process, key, data[key])
    _check_process(process)
    process.save()
    if changed:
        events.record(actor=actor, verb="budgeting.process.changed", target=process, data={"fields": changed})
    return process


NEXT_PHASE = {
    Process.Phase.DRAFT: Process.Phase.PROPOSALS,
    Process.Phase.PROPOSALS: Process.Phase.COSTING,
    Process.Phase.COSTING: Process.Phase.VOTING,
    Process.Phase.VOTING: Process.Phase.RESULTS,
    Process.Phase.RESULTS: Process.Phase.DELIVERY,
    Process.Phase.DELIVERY: Process.Phase.FINISHED,
}


@transaction.atomic
def process_advance(*, actor: User, process: Process, to: str) -> Process:
    """Move the process to its next phase. ``to`` must be the next one (a second click of the same
    button does nothing twice). Closing voting counts the ballots and wipes the voters' keys."""
    process = _lock(process)
    _require_staff(actor, process)
    expected = NEXT_PHASE.get(Process.Phase(process.phase))
    if expected is None or to != expected:
        raise Conflict(_("The process has already moved on. Reload the page."), code="phase_changed")
    if expected == Process.Phase.VOTING:
        waiting = process.proposals.filter(status=Proposal.Status.SUBMITTED).count()
        if waiting:
            raise BudgetingError(
                ngettext(
                    "%(n)s proposal still waits for the check. Check it before voting starts.",
                    "%(n)s proposals still wait for the check. Check them all before voting starts.",
                    waiting,
                )
                % {"n": waiting}
            )
        if not process.proposals.filter(status=Proposal.Status.FEASIBLE).exists():
            raise BudgetingError(_("No proposal can be carried out yet, so there is nothing to vote on."))
    if expected == Process.Phase.DELIVERY and process.results_published_at is None:
        raise BudgetingError(_("Publish the results first."))
    process.phase = expected
    if expected == Process.Phase.RESULTS:
        process.voting_closed_at = timezone.now()
    process.save(update_fields=["phase", "voting_closed_at", "updated_at"])
    if expected == Process.Phase.RESULTS:
        _count(process)
        Ballot.objects.filter(process=process).update(voter_key=None)
    events.record(actor=actor, verb="budgeting.process.phase_changed", target=process, data={"phase": expected})
    if expected == Process.Phase.VOTING:
        tell_voters(
            process,
            kind="budgeting.voting_open",
            subject=gettext_lazy("Voting is open: %(process)s"),
            message=gettext_lazy(
                "You can now vote on how the money of %(process)s is used. Voting is open until %(until)s."
            ),
            url=reverse("budgeting:ballot", args=[process.pk]),
        )
    return process


# -- the list of voters -------------------------------------------------------------------------------
@transaction.atomic
def eligible_add(*, actor: User, process: Process, email: str) -> EligibleVoter:
    """Add a person with an account to the list the staff keep. People without an account vote with a code."""
    process = _lock(process)
    _require_staff(actor, process)
    if process.electorate != Process.Electorate.LIST:
        raise BudgetingError(_("The voters of this process are not a list."))
    if process.is_at_least(Process.Phase.RESULTS):
        raise BudgetingError(_("Voting has closed: the list can no longer be changed."))
    person = accounts.user_by_email(email=email)
    if person is None or not person.is_active:
        raise BudgetingError(
            _("No account has this e-mail address. A person without an account can vote with a voting code."),
            field="email",
        )
    entry, created = EligibleVoter.objects.get_or_create(process=process, person=person, defaults={"added_by": actor})
    if not created:
        raise BudgetingError(_("This person is already on the list."), field="email")
    events.record(actor=actor, verb="budgeting.voter.added", target=process, subject=person)
    return entry


@transaction.atomic
def eligible_remove(*, actor: User, entry: EligibleVoter) -> None:
    process = _lock(entry.process)
    _require_staff(actor, process)
    if process.is_at_least(Process.Phase.VOTING):
        raise BudgetingError(_("Once voting has started, nobody is removed from the list."))
    events.record(actor=actor, verb="budgeting.voter.removed", target=process, subject=entry.person)
    entry.delete()
