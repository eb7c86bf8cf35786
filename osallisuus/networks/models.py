"""Networked work (verkostoiva työ): networks, their members and roles, meetings, goals and
resources, the dated ties between members, snapshots of the network picture, and personal network
maps (verkostokartta).

A *tie* is dated (``valid_from`` … ``valid_to``, the end not included). Ties come from meetings
attended together (one tie per pair and run of shared meetings, weighted by how many) and from
collaboration a member declares. A *snapshot* keeps the analysis and the layout of the picture on
one date, computed in a background job; pages show what it keeps.

A *personal network map* belongs to one person. The people on it are names she typed, never
accounts; nobody but her and the own worker she shares it with may read it.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData

MEMBERSHIP_PURPOSE = _("To run the network: who takes part, in which role, and how to reach them.")
MAP_PURPOSE = _("Your own network map: the people around you, which you keep for yourself and your own worker.")


class NetworkType(models.TextChoices):
    PEER_SERVICE = "peer_service", _("Peer-service network")
    LEARNING = "learning", _("Learning and development network")
    ADVOCACY = "advocacy", _("Advocacy network")
    INNOVATION = "innovation", _("Innovation network")
    CLIENT_SERVICE = "client_service", _("Client-service network")


class Lifecycle(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    WARM = "warm", _("Stakeholder network kept warm")
    PROJECT = "project", _("Project network")


class Visibility(models.TextChoices):
    OWNERS = "owners", _("Everyone of the owner organisations")
    MEMBERS = "members", _("Members only")


class Network(TimeStampedModel):
    name = models.CharField(_("Name"), max_length=200)
    purpose = models.TextField(_("Purpose"))
    type = models.CharField(_("Type"), max_length=20, choices=NetworkType.choices)
    lifecycle = models.CharField(_("Lifecycle"), max_length=12, choices=Lifecycle.choices)
    legal_basis = models.CharField(_("Legal basis"), max_length=300, blank=True)
    goal = models.TextField(_("Goal of the project"), blank=True)
    ends_on = models.DateField(_("End date"), null=True, blank=True)
    visibility = models.CharField(
        _("Who sees the network"), max_length=10, choices=Visibility.choices, default=Visibility.OWNERS
    )
    owners = models.ManyToManyField("accounts.Organisation", related_name="owned_networks", verbose_name=_("Owners"))
    closed_on = models.DateField(_("Closed on"), null=True, blank=True)
    closing_asked_on = models.DateField(null=True, blank=True)

    personal_data = NoPersonalData(reason=_("A network's name, purpose and dates are about the network, not a person."))

    class Meta:
        ordering: ClassVar = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class MemberKind(models.TextChoices):
    STAFF = "staff", _("Staff of an organisation")
    RESIDENT = "resident", _("Resident")
    CLIENT = "client", _("Client")
    EXPERT = "expert", _("Expert by experience")


class Role(models.TextChoices):
    GUIDE = "guide", _("Controller and guide")
    PARTICIPANT = "participant", _("Influencer and participant")
    SEEKER = "seeker", _("Listener and seeker")


class Strength(models.TextChoices):
    TRUST = "trust", _("Trust builder")
    COMMITTER = "committer", _("Committer")
    BROKER = "broker", _("Information broker")
    GOALS = "goals", _("Builder of shared goals")
    GATHERER = "gatherer", _("Gatherer")
    INSPIRER = "inspirer", _("Inspirer")
    RECRUITER = "recruiter", _("Recruiter of newcomers")
    COORDINATOR = "coordinator", pgettext_lazy("a strength in a network", "Coordinator")
    FACILITATOR = "facilitator", _("Facilitator")


class NetworkMembershipQuerySet(models.QuerySet["NetworkMembership"]):
    def current(self, on: dt.date | None = None) -> NetworkMembershipQuerySet:
        if on is None:
            return self.filter(left_on__isnull=True)
        return self.filter(joined_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))


class NetworkMembership(TimeStampedModel):
    """One person in one network: with an account (``user``) or without one (a resident who
    accepted an invitation by name)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="network_memberships"
    )
    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-mail"), blank=True)
    phone = models.CharField(_("Phone"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="network_memberships"
    )
    represents = models.CharField(_("Group represented"), max_length=200, blank=True)
    kind = models.CharField(_("Taking part as"), max_length=10, choices=MemberKind.choices, default=MemberKind.STAFF)
    role = models.CharField(_("Role"), max_length=12, choices=Role.choices, default=Role.PARTICIPANT)
    strengths = models.JSONField(_("Strengths"), default=list, blank=True)
    proposed_role = models.CharField(max_length=12, choices=Role.choices, blank=True)
    is_coordinator = models.BooleanField(_("Coordinator"), default=False)
    joined_on = models.DateField(_("Joined"))
    left_on = models.DateField(_("Left the network"), null=True, blank=True)

    objects = NetworkMembershipQuerySet.as_manager()

    personal_data = PersonalData(
        subject="user",
        fields=("name", "email", "phone", "represents", "role", "strengths", "joined_on", "left_on"),
        purpose=MEMBERSHIP_PURPOSE,
        erasure=Erasure.ANONYMISE,
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["network", "user"],
                condition=Q(left_on__isnull=True, user__isnull=False),
                name="networks_one_current_membership",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_private_kind(self) -> bool:
        """Residents and clients: their taking part is never shown outside the network."""
        return self.kind in (MemberKind.RESIDENT, MemberKind.CLIENT)

    def strength_labels(self) -> list[str]:
        labels = dict(Strength.choices)
        return [str(labels[s]) for s in self.strengths if s in labels]


class Invitation(TimeStampedModel):
    """A one-use invitation link: only a keyed hash of its token is kept."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("E-mail"))
    name = models.CharField(_("Name"), max_length=200, blank=True)
    kind = models.CharField(_("Taking part as"), max_length=10, choices=MemberKind.choices, default=MemberKind.STAFF)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True, blank=True)
    membership = models.ForeignKey(
        NetworkMembership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    personal_data = PersonalData(
        subject="membership__user", fields=("email", "name"), purpose=MEMBERSHIP_PURPOSE, erasure=Erasure.DELETE
    )


class RotationEntry(models.Model):
    """The order in which the member organisations host the meetings (kiertävän kokouksen malli)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="rotation")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    personal_data = NoPersonalData(reason=_("The order of host organisations is about organisations."))

    class Meta:
        ordering: ClassVar = ["position", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["network", "organisation"], name="networks_rotation_once")
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.organisation_id}"


class Meeting(TimeStampedModel):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Network meeting")
        ANTICIPATION = "anticipation", _("Anticipation dialogue")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("Kind of meeting"), max_length=12, choices=Kind.choices, default=Kind.REGULAR)
    title = models.CharField(_("Title"), max_length=200)
    starts_at = models.DateTimeField(_("Starts"))
    ends_at = models.DateTimeField(_("Ends"))
    place = models.CharField(_("Place"), max_length=200, blank=True)
    channel_url = models.URLField(_("Link to the virtual meeting"), blank=True)
    agenda = models.TextField(_("Agenda"), blank=True)
    host = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Host organisation"),
    )
    notes = models.TextField(_("Notes"), blank=True)
    notes_published_on = models.DateField(null=True, blank=True)
    future = models.TextField(
        _("Remembering the future: a year from now, things are well. What is it like?"), blank=True
    )
    helped = models.TextField(_("What helped to get there?"), blank=True)
    worried = models.TextField(_("What worried you then, and what eased it?"), blank=True)
    sequence = models.PositiveIntegerField(default=0)
    attendance_recorded = models.BooleanField(default=False)

    personal_data = NoPersonalData(reason=_("A meeting's time, place and agenda are about the network."))

    class Meta:
        ordering: ClassVar = ["-starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(NetworkMembership, on_delete=models.CASCADE, related_name="attendance")

    personal_data = PersonalData(
        subject="membership__user", fields=("meeting",), purpose=MEMBERSHIP_PURPOSE, erasure=Erasure.DELETE
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="networks_attended_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.membership_id}"


class Action(TimeStampedModel):
    """Who does what next: an action agreed at a meeting (the anticipation dialogue's last step),
    followed up at the next meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("What is done"), max_length=300)
    owner = models.ForeignKey(
        NetworkMembership, on_delete=models.SET_NULL, null=True, related_name="actions", verbose_name=_("Who does it")
    )
    due_on = models.DateField(_("By when"))
    done = models.BooleanField(_("Done"), default=False)
    followed_up_at = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    follow_up = models.CharField(_("How it went"), max_length=300, blank=True)

    personal_data = PersonalData(
        subject="owner__user",
        fields=("text", "due_on", "follow_up"),
        purpose=MEMBERSHIP_PURPOSE,
        erasure=Erasure.ANONYMISE,
    )


class Goal(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        ONGOING = "ongoing", _("Under way")
        REACHED = "reached", _("Reached")
        DROPPED = "dropped", _("Given up")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("Goal"), max_length=300)
    measure = models.CharField(_("How we know it is reached"), max_length=300, blank=True)
    owner = models.ForeignKey(
        NetworkMembership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("Who follows it"),
    )
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN)

    personal_data = NoPersonalData(reason=_("A network's goal is about the network."))

    class Meta:
        ordering: ClassVar = ["pk"]


class GoalChange(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=10, choices=Goal.Status.choices)
    changed_on = models.DateField()
    note = models.CharField(_("Note"), max_length=300, blank=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    personal_data = NoPersonalData(reason=_("The status history of a network's goal."))

    class Meta:
        ordering: ClassVar = ["changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.changed_on}: {self.status}"


class Resource(TimeStampedModel):
    class Kind(models.TextChoices):
        STAFF_HOURS = "staff_hours", _("Staff hours")
        ROOM = "room", _("Rooms")
        CATERING = "catering", _("Coffee and meals")
        TRAVEL = "travel", _("Travel")
        COMMUNICATION = "communication", _("Communication tools")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("Kind"), max_length=14, choices=Kind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("Organisation")
    )
    description = models.CharField(_("Description"), max_length=200, blank=True)
    hours = models.DecimalField(_("Hours"), max_digits=8, decimal_places=2, null=True, blank=True)
    cost = models.DecimalField(_("Cost (€)"), max_digits=12, decimal_places=2)
    spent_on = models.DateField(_("Date"))

    personal_data = NoPersonalData(reason=_("Resources are counted per organisation, not per person."))

    class Meta:
        ordering: ClassVar = ["-spent_on", "pk"]


class Tie(models.Model):
    """A dated tie between two members (``a`` has the smaller id). ``valid_to`` is not included."""

    class Source(models.TextChoices):
        MEETINGS = "meetings", _("Meetings attended together")
        DECLARED = "declared", _("Collaboration a member told about")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="ties")
    a = models.ForeignKey(NetworkMembership, on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey(NetworkMembership, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    weight = models.PositiveIntegerField(default=1)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    reason = models.CharField(_("Why we work together"), max_length=300, blank=True)
    declared_by = models.ForeignKey(
        NetworkMembership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    personal_data = PersonalData(
        subject="a__user",
        fields=("reason", "valid_from", "valid_to"),
        extra_subjects=("b__user",),
        purpose=MEMBERSHIP_PURPOSE,
        erasure=Erasure.DELETE,
    )

    class Meta:
        indexes: ClassVar = [models.Index(fields=["network", "valid_from", "valid_to"])]
        constraints: ClassVar = [models.CheckConstraint(condition=Q(a__lt=models.F("b")), name="networks_tie_ordered")]

    def __str__(self) -> str:
        return f"{self.a_id}–{self.b_id}"


class Snapshot(TimeStampedModel):
    """The network on one date: the analysis and the layout, computed once by a background job."""

    class Level(models.TextChoices):
        MEMBERS = "members", _("Members")
        ORGANISATIONS = "organisations", _("Organisations")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Being computed")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="snapshots")
    on = models.DateField(_("Date"))
    level = models.CharField(max_length=14, choices=Level.choices, default=Level.MEMBERS)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    job_id = models.CharField(max_length=64, blank=True)
    result = models.JSONField(default=dict, blank=True)
    ties_svg = models.TextField(blank=True, default="")
    """The lines of the picture's ties, drawn once by the job (positions only, no names)."""

    personal_data = NoPersonalData(
        reason=_("Figures and positions computed from the ties; people appear only as ids of memberships.")
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["network", "on", "level"], name="networks_snapshot_once")
        ]


class Evaluation(TimeStampedModel):
    """An evaluation round of a network, asked through the measurement engine: the round's id there
    (the answers and the group results stay in measurement), its number and whether it is the
    closing evaluation of a project network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="evaluations")
    round_id = models.PositiveBigIntegerField(unique=True)
    phase = models.PositiveSmallIntegerField(default=0)
    closing = models.BooleanField(_("Closing evaluation"), default=False)

    personal_data = NoPersonalData(
        reason=_("Which measurement round evaluates which network; the answers are kept by the measurement engine.")
    )

    class Meta:
        ordering: ClassVar = ["phase", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["network"], condition=Q(closing=True), name="networks_evaluation_one_closing"
            )
        ]


# -- personal network map --------------------------------------------------------------------------
class Sector(models.TextChoices):
    FAMILY = "family", _("Family and relatives")
    FRIENDS = "friends", _("Friends and acquaintances")
    WORKERS = "workers", _("Authorities and workers")
    OTHERS = "others", _("Others")


class Quality(models.TextChoices):
    SUPPORTIVE = "supportive", _("Supportive")
    STRAINED = "strained", _("Strained")
    BROKEN = "broken", _("Broken")


class PersonalMap(TimeStampedModel):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_maps")
    title = models.CharField(_("Name of the map"), max_length=200)
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Shared with"),
    )

    personal_data = PersonalData(
        subject="owner", fields=("title", "shared_with"), purpose=MAP_PURPOSE, erasure=Erasure.DELETE
    )


class MapVersion(TimeStampedModel):
    map = models.ForeignKey(PersonalMap, on_delete=models.CASCADE, related_name="versions")
    made_on = models.DateField(_("Date"))
    note = models.CharField(_("Note"), max_length=300, blank=True)

    personal_data = PersonalData(
        subject="map__owner", fields=("made_on", "note"), purpose=MAP_PURPOSE, erasure=Erasure.DELETE
    )

    class Meta:
        ordering: ClassVar = ["made_on", "pk"]


class MapPerson(models.Model):
    class Circle(models.IntegerChoices):
        CLOSE = 1, _("Closest")
        MIDDLE = 2, pgettext_lazy("how close a person is", "Close")
        OUTER = 3, _("Further away")

    version = models.ForeignKey(MapVersion, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("Name"), max_length=100)
    sector = models.CharField(_("Sector"), max_length=8, choices=Sector.choices)
    circle = models.PositiveSmallIntegerField(_("How close"), choices=Circle.choices)
    support = models.CharField(_("Kind of support"), max_length=200, blank=True)
    quality = models.CharField(_("Quality of the relationship"), max_length=10, choices=Quality.choices)

    personal_data = PersonalData(
        subject="version__map__owner",
        fields=("name", "sector", "circle", "support", "quality"),
        purpose=MAP_PURPOSE,
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering: ClassVar = ["circle", "name", "pk"]

    def __str__(self) -> str:
        return self.name
