"""Participatory budgeting in small closed groups (the KAAOS model).

A *process* has a budget, a group of eligible voters, phases with dates, a ballot style and a
winner rule. Participants make *proposals* (alone or together), the staff check and cost them, the
group votes, the rule picks the winners and explains why, and each winner becomes a *purchase* or
a small grant to a third-sector actor.

Anonymity is in the schema: the list of who voted (``Participation``) and the ballots (``Ballot``,
``BallotChoice``) are two tables with no link between them. A ballot has no time stamp, no voter,
no way it was cast and a random id. A voter with an account finds their own ballot again with a
keyed hash of the process and their account (``Ballot.voter_key``), which only the service can
compute; when voting closes the keys are wiped, so after that nobody can tell whose ballot is whose.
Voting codes are stored as keyed hashes and are not linked to the ballot they cast.
"""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData

PROPOSAL_RETENTION = _(
    "A proposal is part of the record of how public money was decided, so its text is kept with the "
    "process. The names of the people who made it are removed."
)


KEY_ALPHABET = "abcdefhjkmnprstuvwxy34789"


def _code_key() -> str:
    """The address of a process's code page, printed on the cards: ten lower-case letters and digits
    without look-alikes (no 0, o, 1, l, i, 2, z, 5, 6, g, q), so it can be typed from the paper."""
    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(10))


def _join_token() -> str:
    return secrets.token_urlsafe(12)


class Process(TimeStampedModel):
    """One participatory budgeting process of one organisation."""

    class Phase(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        PROPOSALS = "proposals", _("Proposals")
        COSTING = "costing", _("Checking and costing")
        VOTING = "voting", pgettext_lazy("a phase of participatory budgeting", "Voting")
        RESULTS = "results", _("Results")
        DELIVERY = "delivery", _("Carrying out")
        FINISHED = "finished", _("Finished")

    class Electorate(models.TextChoices):
        ACTIVITY = "activity", _("The participants of an activity")
        LIST = "list", _("A list the staff keep")
        ORGANISATION = "organisation", _("Everyone of an organisation who logs in")

    class BallotStyle(models.TextChoices):
        APPROVAL = "approval", _("Choose any proposals you like")
        KNAPSACK = "knapsack", _("Choose proposals that fit in the budget")
        LIMITED = "limited", _("Choose up to a set number of proposals")

    class WinnerRule(models.TextChoices):
        GREEDY = "greedy", _("Most votes first (the standard rule)")
        EQUAL_SHARES = "equal_shares", _("Equal shares (fair to smaller groups)")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="budgeting_processes"
    )
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("What is this about?"), blank=True)
    budget = models.DecimalField(_("Budget (€)"), max_digits=12, decimal_places=2)
    electorate = models.CharField(_("Who may vote"), max_length=12, choices=Electorate.choices)
    activity = models.ForeignKey(
        "activation.Activity", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    electorate_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ballot_style = models.CharField(
        _("How people vote"), max_length=10, choices=BallotStyle.choices, default=BallotStyle.APPROVAL
    )
    max_choices = models.PositiveSmallIntegerField(
        _("How many proposals one person may choose"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    min_share_percent = models.PositiveSmallIntegerField(
        _("Choices must use at least this share of the budget (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    winner_rule = models.CharField(
        _("How the winners are chosen"), max_length=12, choices=WinnerRule.choices, default=WinnerRule.GREEDY
    )
    third_sector_minimum = models.PositiveSmallIntegerField(
        _("At least this many winners are carried out by a third-sector actor"), default=1
    )
    phase = models.CharField(_("Phase"), max_length=10, choices=Phase.choices, default=Phase.DRAFT)
    proposals_from = models.DateField(_("Proposals from"))
    proposals_until = models.DateField(_("Proposals until"))
    costing_until = models.DateField(_("Checking and costing until"))
    voting_from = models.DateField(_("Voting from"))
    voting_until = models.DateField(_("Voting until"))
    results_on = models.DateField(_("Results published on"))
    delivery_until = models.DateField(_("Winners carried out by"))
    code_key = models.CharField(max_length=20, unique=True, default=_code_key, editable=False)
    voting_closed_at = models.DateTimeField(null=True, blank=True)
    results_published_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar = NoPersonalData(
        reason=_(
            "A participatory budgeting process belongs to the organisation that runs it. Who may vote, "
            "who voted and who made proposals are kept in their own tables."
        )
    )

    class Meta:
        ordering = ["-voting_from", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="budgeting_process_budget_positive"),
            models.CheckConstraint(
                condition=Q(proposals_until__gte=models.F("proposals_from"))
                & Q(costing_until__gte=models.F("proposals_until"))
                & Q(voting_from__gte=models.F("costing_until"))
                & Q(voting_until__gte=models.F("voting_from"))
                & Q(results_on__gte=models.F("voting_until"))
                & Q(delivery_until__gte=models.F("results_on")),
                name="budgeting_process_phases_in_order",
            ),
        ]
        verbose_name = _("participatory budgeting process")
        verbose_name_plural = _("participatory budgeting processes")

    def __str__(self) -> str:
        return self.name

    PHASE_ORDER: ClassVar[list[str]] = [p.value for p in Phase]

    def phase_index(self) -> int:
        return self.PHASE_ORDER.index(self.phase)

    def is_at_least(self, phase: str) -> bool:
        return self.phase_index() >= self.PHASE_ORDER.index(phase)


class EligibleVoter(TimeStampedModel):
    """A person on the list the staff keep (for a process whose voters are a list)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="eligible")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    personal_data: ClassVar = PersonalData(
        subject="person",
        fields=("process", "created_at"),
        purpose=_("Who may vote in a participatory budgeting process (a list the staff keep)."),
        erasure=Erasure.DELETE,
        extra_subjects=("added_by",),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["process", "person"], name="budgeting_eligible_once")]
        verbose_name = _("eligible voter")
        verbose_name_plural = _("eligible voters")

    def __str__(self) -> str:
        return f"{self.process_id}:{self.person_id}"


class Proposal(TimeStampedModel):
    """A participant's idea (or a group's): what, for whom, why; checked and costed by the staff."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for the check")
        FEASIBLE = "feasible", _("Can be carried out")
        NOT_FEASIBLE = "not_feasible", _("Cannot be carried out")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveIntegerField(_("Number"))
    title = models.CharField(_("What would you like to do?"), max_length=200)
    for_whom = models.TextField(_("Who is it for?"))
    why = models.TextField(_("Why is it important?"))
    image = models.ImageField(_("A photo or a drawing"), upload_to="budgeting/proposals/%Y/%m/", blank=True)
    image_alt = models.CharField(_("What the picture shows"), max_length=300, blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    cost = models.DecimalField(_("Cost (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    provider = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    provider_name = models.CharField(_("Who could carry it out"), max_length=200, blank=True)
    third_sector = models.BooleanField(_("Carried out by a third-sector actor"), default=False)
    decision_reason = models.TextField(_("Reason"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    join_token = models.CharField(max_length=32, default=_join_token, editable=False)

    personal_data: ClassVar = NoPersonalData(
        reason=_(
            "A proposal is the group's shared idea for its money, written to be read by the whole group, and "
            "its picture is re-saved without the camera's data. Who made it is kept in ProposalAuthor, and each "
            "version a person wrote is in their proposal history."
        )
    )

    class Meta:
        ordering = ["process", "number"]
        constraints = [
            models.UniqueConstraint(fields=["process", "number"], name="budgeting_proposal_number"),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gt=0), name="budgeting_proposal_cost_positive"
            ),
        ]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title

    @property
    def provider_label(self) -> str:
        return self.provider.name if self.provider_id and self.provider else self.provider_name


class ProposalAuthor(TimeStampedModel):
    """One of the people who made a proposal (alone or together)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="authors")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    personal_data: ClassVar = PersonalData(
        subject="person",
        fields=("proposal", "created_at"),
        purpose=_("Who made a proposal, so they can revise it and hear what the staff decided."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="budgeting_author_once")]
        verbose_name = _("proposer")
        verbose_name_plural = _("proposers")

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.person_id}"


class ProposalEvent(models.Model):
    """The history of a proposal: each version the proposers wrote and each decision of the staff."""

    class Kind(models.TextChoices):
        WRITTEN = "written", _("Written")
        REVISED = "revised", _("Revised")
        CHECKED = "checked", _("Checked")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    for_whom = models.TextField()
    why = models.TextField()
    status = models.CharField(max_length=12, choices=Proposal.Status.choices)
    cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    provider_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    by_staff = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar = PersonalData(
        subject="changed_by",
        fields=("title", "for_whom", "why", "changed_at"),
        purpose=_("Earlier versions of a proposal and the staff's decisions on it, so the changes can be seen."),
        erasure=Erasure.RETAIN,
        retention=PROPOSAL_RETENTION,
    )

    class Meta:
        ordering = ["proposal", "changed_at", "pk"]
        verbose_name = _("proposal history entry")
        verbose_name_plural = _("proposal history")

    def __str__(self) -> str:
        return f"{self.proposal_id} v{self.version} {self.kind}"


class Participation(models.Model):
    """The list of who voted: a person, or an anonymous voting code, and how. Never the choice:
    nothing here points to a ballot, and no ballot points here."""

    class Method(models.TextChoices):
        ONLINE = "online", _("Voted here")
        CODE = "code", _("Voted with a voting code")
        ASSISTED = "assisted", _("Voted with help")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="participations")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    helped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    personal_data: ClassVar = PersonalData(
        subject="voter",
        fields=("process", "method", "recorded_at"),
        purpose=_(
            "That a person voted in a participatory budgeting process, and whether someone helped. "
            "What they voted for is never kept with their name."
        ),
        erasure=Erasure.DELETE,
        extra_subjects=("helped_by",),
    )

    class Meta:
        ordering = ["process", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "voter"], condition=Q(voter__isnull=False), name="budgeting_votes_once"
            )
        ]
        verbose_name = _("participation in a vote")
        verbose_name_plural = _("participation in votes")

    def __str__(self) -> str:
        return f"{self.process_id}:{self.method}"


class Ballot(models.Model):
    """One ballot: which proposals it chose. A random id, no time, no voter, no method."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ballots")
    voter_key = models.CharField(max_length=64, null=True, blank=True, editable=False)

    personal_data: ClassVar = NoPersonalData(
        reason=_(
            "A ballot holds only the proposals it chose. It is not linked to the person who cast it: "
            "the list of who voted is kept apart, and the key a voter uses to change their ballot is "
            "wiped when voting closes."
        )
    )

    class Meta:
        ordering = ["process", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "voter_key"], condition=Q(voter_key__isnull=False), name="budgeting_ballot_once"
            )
        ]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(self.id)


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")

    personal_data: ClassVar = NoPersonalData(reason=_("A choice on an anonymous ballot."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "proposal"], name="budgeting_choice_once")]
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")

    def __str__(self) -> str:
        return f"{self.ballot_id}:{self.proposal_id}"


class VotingCode(models.Model):
    """An anonymous voting code for a person without an account, kept only as a keyed hash."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    batch = models.PositiveIntegerField(default=1)
    issued_at = models.DateTimeField(auto_now_add=True)
    used = models.BooleanField(default=False)

    personal_data: ClassVar = NoPersonalData(
        reason=_(
            "A voting code is handed out on paper and is not linked to any person or to the ballot it cast. "
            "Only a keyed hash of it is kept."
        )
    )

    class Meta:
        ordering = ["process", "pk"]
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")

    def __str__(self) -> str:
        return f"{self.process_id}:{self.pk}"


class Result(models.Model):
    """The count: winners and the explanation step by step, kept as it was counted."""

    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="result")
    rule = models.CharField(max_length=12, choices=Process.WinnerRule.choices)
    counted_at = models.DateTimeField(auto_now_add=True)
    ballots = models.PositiveIntegerField()
    spent = models.DecimalField(max_digits=12, decimal_places=2)
    explanation = models.JSONField(default=dict)

    personal_data: ClassVar = NoPersonalData(reason=_("The count of anonymous ballots."))

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"Result of {self.process_id}"


class Purchase(TimeStampedModel):
    """A winning proposal bought from, or given as a small grant to, a third-sector actor (until the
    funding module offers its own record, through ``services.purchase_record``)."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("Purchase")
        GRANT = "grant", _("Small grant")

    class Status(models.TextChoices):
        AGREED = "agreed", _("Agreed")
        DELIVERED = "delivered", _("Carried out")

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="purchases")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="purchase")
    kind = models.CharField(_("Purchase or grant"), max_length=10, choices=Kind.choices, default=Kind.PURCHASE)
    provider = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    provider_name = models.CharField(_("Provider"), max_length=200, blank=True)
    amount = models.DecimalField(_("Amount (€)"), max_digits=12, decimal_places=2)
    agreed_on = models.DateField(_("Agreement date"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AGREED)
    delivered_on = models.DateField(_("Carried out on"), null=True, blank=True)
    delivery_note = models.TextField(_("What was done"), blank=True)

    personal_data: ClassVar = NoPersonalData(reason=_("A purchase or a grant between organisations: no person's data."))

    class Meta:
        ordering = ["process", "agreed_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="budgeting_purchase_amount_positive")]
        verbose_name = _("purchase or grant")
        verbose_name_plural = _("purchases and grants")

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def provider_label(self) -> str:
        return self.provider.name if self.provider_id and self.provider else self.provider_name


ZERO = Decimal("0.00")
