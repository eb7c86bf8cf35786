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

import datetime as dt
import io
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from osallisuus.accounts import selectors as accounts
from osallisuus.core import events, formatting
from osallisuus.core.errors import Conflict, Forbidden, Refusal
from osallisuus.core.notifications import notify
from osallisuus.measurement import selectors as measurement_selectors
from osallisuus.measurement import services as measurement

from . import permissions, rules
from .models import (
    Ballot,
    BallotChoice,
    EligibleVoter,
    Participation,
    Process,
    Proposal,
    ProposalAuthor,
    ProposalEvent,
    Purchase,
    Result,
    VotingCode,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User


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
        _tell_voters(
            process,
            kind="budgeting.voting_open",
            subject=gettext_lazy("Voting is open: %(process)s"),
            message=gettext_lazy(
                "You can now vote on how the money of %(process)s is used. Voting is open until %(until)s."
            ),
            url=reverse("budgeting:ballot", args=[process.pk]),
        )
    return process


def _tell_voters(process: Process, *, kind: str, subject: Any, message: Any, url: str) -> None:
    people = accounts.users_by_ids(ids=permissions.eligible_ids(process))
    params = {"process": process.name, "until": lambda: formatting.date(process.voting_until)}
    for person in people.values():
        if person.is_active:
            notify(user=person, kind=kind, subject=subject, message=message, params=params, url=url)


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


# -- proposals -----------------------------------------------------------------------------------------
def clean_image(upload: Any) -> ContentFile:
    """The picture re-encoded as JPEG: at most 1600 px a side, without the camera's data (EXIF can hold
    the place and time a photo was taken)."""
    try:
        upload.seek(0)
        with Image.open(upload) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened) or opened
            image = image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise BudgetingError(
            _("The picture could not be opened. Use a JPEG, PNG or WebP image."), field="image"
        ) from exc
    image.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.jpg")


def _history(proposal: Proposal, *, kind: str, actor: User, by_staff: bool = False) -> None:
    ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        version=proposal.version,
        title=proposal.title,
        for_whom=proposal.for_whom,
        why=proposal.why,
        status=proposal.status,
        cost=proposal.cost,
        provider_label=proposal.provider_label,
        reason=proposal.decision_reason if kind == ProposalEvent.Kind.CHECKED else "",
        by_staff=by_staff,
        changed_by=actor,
    )


def _texts(data: Mapping[str, Any]) -> dict[str, str]:
    texts = {k: str(data.get(k) or "").strip() for k in ("title", "for_whom", "why", "image_alt")}
    labels = {
        "title": _("Write what you would like to do."),
        "for_whom": _("Write who it is for."),
        "why": _("Write why it is important."),
    }
    for key, message in labels.items():
        if not texts[key]:
            raise BudgetingError(message, field=key)
    return texts


@transaction.atomic
def proposal_create(*, actor: User, process: Process, data: Mapping[str, Any], image: Any = None) -> Proposal:
    """A proposal of the actor (who becomes its first proposer) during the proposal phase."""
    process = _lock(process)
    _require(permissions.can_propose(actor, process))
    texts = _texts(data)
    if image is not None and not texts["image_alt"]:
        raise BudgetingError(_("Tell in a few words what the picture shows."), field="image_alt")
    number = (process.proposals.aggregate(n=Max("number"))["n"] or 0) + 1
    proposal = Proposal(process=process, number=number, **texts)
    if image is not None:
        proposal.image = clean_image(image)
    proposal.full_clean(exclude=["image"])
    proposal.save()
    ProposalAuthor.objects.create(proposal=proposal, person=actor)
    _history(proposal, kind=ProposalEvent.Kind.WRITTEN, actor=actor)
    events.record(actor=actor, verb="budgeting.proposal.created", target=proposal, subject=actor)
    return proposal


def _lock_proposal(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("process").get(pk=proposal.pk)


@transaction.atomic
def proposal_revise(
    *, actor: User, proposal: Proposal, data: Mapping[str, Any], image: Any = None, remove_image: bool = False
) -> Proposal:
    """A new version by one of the proposers. The earlier versions stay in the history; a proposal
    that was already checked waits for a new check."""
    proposal = _lock_proposal(proposal)
    _require(permissions.can_revise(actor, proposal))
    texts = _texts(data)
    if image is not None and not texts["image_alt"]:
        raise BudgetingError(_("Tell in a few words what the picture shows."), field="image_alt")
    for key, value in texts.items():
        setattr(proposal, key, value)
    if remove_image:
        proposal.image = ""
        proposal.image_alt = ""
    if image is not None:
        proposal.image = clean_image(image)
    if proposal.image and not proposal.image_alt:
        raise BudgetingError(_("Tell in a few words what the picture shows."), field="image_alt")
    proposal.version += 1
    if proposal.status != Proposal.Status.SUBMITTED:
        proposal.status = Proposal.Status.SUBMITTED
        proposal.cost = None
        proposal.decided_at = None
    proposal.save()
    _history(proposal, kind=ProposalEvent.Kind.REVISED, actor=actor)
    events.record(actor=actor, verb="budgeting.proposal.revised", target=proposal, subject=actor)
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: User, proposal: Proposal) -> Proposal:
    proposal = _lock_proposal(proposal)
    _require(permissions.can_revise(actor, proposal))
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    _history(proposal, kind=ProposalEvent.Kind.WITHDRAWN, actor=actor)
    events.record(actor=actor, verb="budgeting.proposal.withdrawn", target=proposal, subject=actor)
    return proposal


@transaction.atomic
def proposal_join(*, actor: User, proposal: Proposal, token: str) -> ProposalAuthor:
    """Join a proposal as one of its proposers, with the link one of them shared."""
    proposal = _lock_proposal(proposal)
    if not secrets.compare_digest(str(token), proposal.join_token):
        raise BudgetingError(_("This link is not valid. Ask the proposer for a new one."))
    _require(permissions.can_propose(actor, proposal.process))
    if proposal.status == Proposal.Status.WITHDRAWN:
        raise BudgetingError(_("A withdrawn proposal cannot be joined."))
    author, created = ProposalAuthor.objects.get_or_create(proposal=proposal, person=actor)
    if not created:
        raise BudgetingError(_("You are already one of the proposers."))
    events.record(actor=actor, verb="budgeting.proposal.joined", target=proposal, subject=actor)
    return author


@transaction.atomic
def proposal_decide(
    *,
    actor: User,
    proposal: Proposal,
    feasible: bool,
    cost: Decimal | None = None,
    provider: Organisation | None = None,
    provider_name: str = "",
    third_sector: bool = False,
    reason: str = "",
) -> Proposal:
    """The staff's check: feasible with a cost and a possible provider, or not feasible with a reason
    the proposers see. The proposers are told."""
    proposal = _lock_proposal(proposal)
    decision = permissions.can_review(actor, proposal)
    if not decision:
        if not permissions.is_staff_of(actor, proposal.process):
            raise BudgetingForbidden(decision.reason)
        raise BudgetingError(decision.reason)
    reason = (reason or "").strip()
    if feasible:
        if cost is None:
            raise BudgetingError(_("Give the cost."), field="cost")
        if cost <= 0:
            raise BudgetingError(_("The cost must be more than 0 €."), field="cost")
        if cost > proposal.process.budget:
            raise BudgetingError(
                _(
                    "The cost is more than the whole budget (%(budget)s): it could never be carried out. Mark it "
                    "as not feasible with a reason instead."
                )
                % {"budget": formatting.money(proposal.process.budget)},
                field="cost",
            )
        proposal.status = Proposal.Status.FEASIBLE
        proposal.cost = cost
        proposal.provider = provider
        proposal.provider_name = "" if provider is not None else provider_name.strip()
        proposal.third_sector = third_sector
    else:
        if not reason:
            raise BudgetingError(_("Write the reason: the proposers will read it."), field="reason")
        proposal.status = Proposal.Status.NOT_FEASIBLE
        proposal.cost = None
        proposal.provider = None
        proposal.provider_name = ""
        proposal.third_sector = False
    proposal.decision_reason = reason
    proposal.decided_at = timezone.now()
    proposal.full_clean(exclude=["image"])
    proposal.save()
    _history(proposal, kind=ProposalEvent.Kind.CHECKED, actor=actor, by_staff=True)
    events.record(actor=actor, verb="budgeting.proposal.checked", target=proposal, data={"status": proposal.status})
    authors = accounts.users_by_ids(ids=set(proposal.authors.values_list("person_id", flat=True)))
    message = (
        gettext_lazy(
            "Your proposal “%(title)s” was checked: it can be carried out. It costs %(cost)s and will be on the ballot."
        )
        if feasible
        else gettext_lazy("Your proposal “%(title)s” was checked: it cannot be carried out. The reason: %(reason)s")
    )
    for person in authors.values():
        notify(
            user=person,
            kind="budgeting.proposal_checked",
            subject=gettext_lazy("Your proposal was checked"),
            message=message,
            params={"title": proposal.title, "cost": lambda: formatting.money(proposal.cost), "reason": reason},
            url=reverse("budgeting:proposal", args=[proposal.pk]),
        )
    return proposal


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
    _tell_voters(
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


# -- from winner to delivery ---------------------------------------------------------------------------
def budget_use(process: Process) -> dict[str, Decimal]:
    """What the budget holds now: committed (agreed, not yet carried out), delivered, left."""
    rows = dict(Purchase.objects.filter(process=process).values_list("status").annotate(total=Sum("amount")).order_by())
    committed = rows.get(Purchase.Status.AGREED) or Decimal("0.00")
    delivered = rows.get(Purchase.Status.DELIVERED) or Decimal("0.00")
    return {
        "budget": process.budget,
        "committed": committed,
        "delivered": delivered,
        "left": process.budget - committed - delivered,
    }


@transaction.atomic
def purchase_record(
    *,
    actor: User,
    proposal: Proposal,
    kind: str,
    amount: Decimal,
    agreed_on: dt.date,
    provider: Organisation | None = None,
    provider_name: str = "",
) -> Purchase:
    """A winning proposal bought from, or granted to, its provider (a third-sector actor). Until the
    funding module offers a record of its own, the purchase is kept here; this function is the one place
    to switch."""
    process = _lock(proposal.process)
    _require_staff(actor, process)
    if process.results_published_at is None:
        raise BudgetingError(_("Purchases are recorded after the results have been published."))
    if proposal.pk not in winner_ids(process):
        raise BudgetingError(_("Only a winning proposal becomes a purchase or a grant."))
    if Purchase.objects.filter(proposal=proposal).exists():
        raise Conflict(_("This proposal already has a purchase or a grant."), code="already_recorded")
    if kind not in Purchase.Kind.values:
        raise BudgetingError(_("Choose a purchase or a small grant."), field="kind")
    if amount is None or amount <= 0:
        raise BudgetingError(_("The amount must be more than 0 €."), field="amount")
    if provider is None and not provider_name.strip():
        raise BudgetingError(_("Say who carries it out."), field="provider")
    if agreed_on > timezone.localdate():
        raise BudgetingError(_("The agreement date cannot be in the future."), field="agreed_on")
    left = budget_use(process)["left"]
    if amount > left:
        raise BudgetingError(
            _("This would go over the budget: %(left)s is left and the amount is %(amount)s.")
            % {"left": formatting.money(left), "amount": formatting.money(amount)},
            field="amount",
            code="over_budget",
        )
    purchase = Purchase(
        process=process,
        proposal=proposal,
        kind=kind,
        provider=provider,
        provider_name="" if provider is not None else provider_name.strip(),
        amount=amount,
        agreed_on=agreed_on,
    )
    purchase.full_clean()
    purchase.save()
    events.record(
        actor=actor, verb="budgeting.purchase.recorded", target=purchase, data={"kind": kind, "amount": str(amount)}
    )
    return purchase


@transaction.atomic
def purchase_deliver(*, actor: User, purchase: Purchase, delivered_on: dt.date, note: str) -> Purchase:
    """The winner has been carried out. The voters are asked for their feedback (measurement engine)."""
    purchase = Purchase.objects.select_for_update().select_related("process", "proposal").get(pk=purchase.pk)
    decision = permissions.can_record_delivery(actor, purchase)
    if not decision:
        raise BudgetingForbidden(decision.reason)
    if purchase.status == Purchase.Status.DELIVERED:
        raise Conflict(_("The delivery has already been recorded."), code="already_delivered")
    if delivered_on is None:
        raise BudgetingError(_("Give the date it was carried out."), field="delivered_on")
    if delivered_on > timezone.localdate():
        raise BudgetingError(_("The date cannot be in the future."), field="delivered_on")
    if delivered_on < purchase.agreed_on:
        raise BudgetingError(
            _("The date cannot be before the agreement date (%(date)s).")
            % {"date": formatting.date(purchase.agreed_on)},
            field="delivered_on",
        )
    if not (note or "").strip():
        raise BudgetingError(_("Write in a few words what was done."), field="delivery_note")
    purchase.status = Purchase.Status.DELIVERED
    purchase.delivered_on = delivered_on
    purchase.delivery_note = note.strip()
    purchase.save()
    events.record(actor=actor, verb="budgeting.purchase.delivered", target=purchase)
    process = purchase.process
    _tell_voters(
        process,
        kind="budgeting.delivered",
        subject=gettext_lazy("Carried out: %(process)s"),
        message=gettext_lazy(
            "A winning proposal of %(process)s has been carried out. Tell us how it went: it takes a couple of minutes."
        ),
        url=reverse("budgeting:process", args=[process.pk]),
    )
    return purchase


def feedback_ref(purchase: Purchase) -> str:
    return f"purchase:{purchase.pk}"


def feedback_given(*, actor: User, purchase: Purchase) -> bool:
    return any(
        r.status == "submitted"
        for r in measurement_selectors.responses_for_context(
            respondent=actor, context_module=FEEDBACK_MODULE, context_ref=feedback_ref(purchase)
        )
    )


def feedback_start(*, actor: User, purchase: Purchase) -> Any:
    """Start (or continue) the actor's feedback on a delivered winner, through the measurement engine.
    Only the people of the group, only after the delivery, once."""
    if not permissions.is_eligible(actor, purchase.process):
        raise BudgetingForbidden(_("Only the people of this group give feedback."))
    if purchase.status != Purchase.Status.DELIVERED:
        raise BudgetingError(_("Feedback can be given after it has been carried out."))
    if feedback_given(actor=actor, purchase=purchase):
        raise BudgetingError(_("You have already given feedback on this."))
    try:
        return measurement.response_start(
            instrument_code=FEEDBACK_INSTRUMENT,
            respondent=actor,
            context_module=FEEDBACK_MODULE,
            context_ref=feedback_ref(purchase),
            organisation=purchase.process.organisation,
        )
    except measurement.MeasurementError as exc:
        raise BudgetingError(exc.message) from exc
