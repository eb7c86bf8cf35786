"""The participant's one plan: goals in five baskets, activities, meetings with the own
worker, outcomes and the people the participant shares the plan with.

Statuses follow the vocabulary of FHIR Goal (lifecycleStatus, achievementStatus) so that
the plan can be exported as a FHIR CarePlan with its Goals.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData

RETENTION = _("Social welfare client records are kept as the Act on client documents in social welfare requires.")


# The check-in is the measurement engine's questionnaire, answered in the context of one plan.
CHECKIN_INSTRUMENT = "plan-checkin"
CHECKIN_MODULE = "activation"
CHECKIN_REF_KIND = "plan"


class Basket(models.TextChoices):
    """The five content baskets every plan draws from."""

    MATERIAL = "material", _("Money and livelihood")
    MEANINGFUL_DOING = "doing", _("Meaningful doing")
    BELONGING = "belonging", _("Belonging to a group or community")
    LOCAL_ENVIRONMENT = "local", _("Acting for my neighbourhood")
    INDIVIDUAL_SERVICE = "service", _("Individual support and services")


BASKET_DESCRIPTIONS = {
    Basket.MATERIAL: _("Pay or a fee for valuable work, and the benefits for taking part."),
    Basket.MEANINGFUL_DOING: _("New skills and certificates, expressing yourself, useful feedback."),
    Basket.BELONGING: _("Being part of a group or a community."),
    Basket.LOCAL_ENVIRONMENT: _("Doing things for the place where you live."),
    Basket.INDIVIDUAL_SERVICE: _("Help made for you when you need it, such as rehabilitation or social work."),
}


class Plan(TimeStampedModel):
    """One plan per participant. It replaces the separate care, service and activation plans."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In use")
        RESTING = "resting", _("Resting for a while")
        CLOSED = "closed", pgettext_lazy("a plan", "Closed")

    participant = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_plan"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="activation_plans", null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    about_me = models.TextField(_("About me"), blank=True)
    what_matters = models.TextField(_("What matters to me"), blank=True)
    strengths = models.TextField(_("What I am good at"), blank=True)
    support = models.TextField(_("Support and services I have"), blank=True)
    next_step = models.TextField(_("What happens next"), blank=True)
    next_step_on = models.DateField(_("When"), null=True, blank=True)
    official_name = models.CharField(_("Name of the official who decides"), max_length=200, blank=True)
    official_title = models.CharField(pgettext_lazy("a job title", "Title"), max_length=200, blank=True)
    official_phone = models.CharField(_("Phone"), max_length=40, blank=True)
    official_email = models.EmailField(_("E-mail"), blank=True)
    official_hours = models.CharField(_("When they can be reached"), max_length=200, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="participant",
        fields=(
            "status",
            "about_me",
            "what_matters",
            "strengths",
            "next_step",
            "next_step_on",
            "official_name",
            "official_title",
            "official_phone",
            "official_email",
            "official_hours",
        ),
        special_category=("support",),
        purpose=_("The participant's own activation, service and care plan (one plan)."),
        erasure=Erasure.RETAIN,
        retention=RETENTION,
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"Plan {self.pk}"

    @property
    def in_use(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def checkin_ref(self) -> str:
        """The plan's reference in the measurement engine: the plan's number, no personal data."""
        return f"{CHECKIN_REF_KIND}:{self.pk}"


class PlanShare(TimeStampedModel):
    """A person the participant has chosen to show the plan to (read only)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="shares")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans_shared_with_me")
    revoked_at = models.DateTimeField(_("stopped"), null=True, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="plan__participant",
        fields=("person", "revoked_at"),
        purpose=_("Who the participant has chosen to show their plan to."),
        erasure=Erasure.DELETE,
        extra_subjects=("person",),
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "person"], condition=Q(revoked_at__isnull=True), name="planshare_one_active"
            )
        ]
        verbose_name = _("plan sharing")
        verbose_name_plural = _("plan sharings")

    def __str__(self) -> str:
        return f"Share {self.pk}"


class Goal(TimeStampedModel):
    """A goal in the participant's own words (FHIR Goal)."""

    class Lifecycle(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("a goal", "Proposed")
        ACTIVE = "active", _("Going on")
        ON_HOLD = "on-hold", _("On a break")
        COMPLETED = "completed", pgettext_lazy("a goal", "Done")
        CANCELLED = "cancelled", pgettext_lazy("a goal", "Dropped")

    class Achievement(models.TextChoices):
        IN_PROGRESS = "in-progress", _("Getting started")
        IMPROVING = "improving", _("Moving forward")
        NO_CHANGE = "no-change", _("No change yet")
        WORSENING = "worsening", _("Harder than before")
        ACHIEVED = "achieved", _("Reached")
        SUSTAINING = "sustaining", _("Keeping it up")
        NOT_ACHIEVED = "not-achieved", _("Not reached this time")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("My goal"), max_length=200)
    description = models.TextField(_("More about the goal"), blank=True)
    basket = models.CharField(_("Area of life"), max_length=10, choices=Basket.choices)
    lifecycle_status = models.CharField(_("status"), max_length=12, choices=Lifecycle.choices, default=Lifecycle.ACTIVE)
    achievement_status = models.CharField(
        _("how it is going"), max_length=14, choices=Achievement.choices, default=Achievement.IN_PROGRESS
    )
    expressed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    start_on = models.DateField(_("started"), default=timezone.localdate)
    target_on = models.DateField(_("I hope to reach it by"), null=True, blank=True)
    review_on = models.DateField(_("We look at it together on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    personal_data: ClassVar = PersonalData(
        subject="plan__participant",
        fields=(
            "title",
            "description",
            "basket",
            "lifecycle_status",
            "achievement_status",
            "start_on",
            "target_on",
            "review_on",
        ),
        purpose=_("The participant's goals in their own words."),
        erasure=Erasure.RETAIN,
        retention=RETENTION,
        extra_subjects=("expressed_by",),
    )

    class Meta:
        ordering = ["basket", "-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_on__isnull=True) | Q(target_on__gte=models.F("start_on")),
                name="goal_target_after_start",
            )
        ]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.lifecycle_status in {self.Lifecycle.PROPOSED, self.Lifecycle.ACTIVE, self.Lifecycle.ON_HOLD}

    @property
    def is_proposal(self) -> bool:
        """Proposed by the own worker and not yet accepted by the participant."""
        return self.lifecycle_status == self.Lifecycle.PROPOSED

    @property
    def on_hold(self) -> bool:
        return self.lifecycle_status == self.Lifecycle.ON_HOLD


GOAL_VERSIONED_FIELDS = (
    "title",
    "description",
    "basket",
    "lifecycle_status",
    "achievement_status",
    "target_on",
    "review_on",
)


class GoalVersion(models.Model):
    """A snapshot of a goal after each change; nothing is ever overwritten."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    basket = models.CharField(max_length=10, choices=Basket.choices)
    lifecycle_status = models.CharField(max_length=12, choices=Goal.Lifecycle.choices)
    achievement_status = models.CharField(max_length=14, choices=Goal.Achievement.choices)
    target_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("Why it changed"), max_length=300, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="goal__plan__participant",
        fields=(
            "title",
            "description",
            "basket",
            "lifecycle_status",
            "achievement_status",
            "target_on",
            "review_on",
            "reason",
            "changed_at",
        ),
        purpose=_("Earlier versions of the participant's goals, so changes can be seen."),
        erasure=Erasure.RETAIN,
        retention=RETENTION,
        extra_subjects=("changed_by",),
    )

    class Meta:
        ordering = ["goal", "number"]
        constraints = [models.UniqueConstraint(fields=["goal", "number"], name="goalversion_unique_number")]
        verbose_name = _("goal version")
        verbose_name_plural = _("goal versions")

    def __str__(self) -> str:
        return f"{self.goal_id} v{self.number}"


class ProgressNote(TimeStampedModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("Note"))

    personal_data: ClassVar = PersonalData(
        subject="goal__plan__participant",
        fields=("text",),
        purpose=_("How a goal is moving forward, in the words of the participant or the worker."),
        erasure=Erasure.RETAIN,
        retention=RETENTION,
        extra_subjects=("author",),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return f"Note {self.pk}"


class ActivityQuerySet(models.QuerySet["Activity"]):
    def published(self) -> ActivityQuerySet:
        return self.filter(status=Activity.Status.PUBLISHED)


class Activity(TimeStampedModel):
    """Something a provider organises and participants can join."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed by a participant")
        PUBLISHED = "published", pgettext_lazy("an activity open for sign-up", "Open")
        ENDED = "ended", pgettext_lazy("an activity", "Ended")

    class Cost(models.TextChoices):
        FREE = "free", pgettext_lazy("costs nothing", "Free")
        MUNICIPALITY = "municipality", _("The municipality pays")

    provider = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="activities", null=True, blank=True
    )
    title = models.CharField(_("Name of the activity"), max_length=200)
    summary = models.TextField(_("What you do there"))
    baskets = models.CharField(
        _("Areas of life"), max_length=60, help_text="Basket codes between commas, e.g. ',doing,belonging,'."
    )
    area = models.CharField(_("Area"), max_length=100)
    place = models.CharField(_("Address or place"), max_length=200, blank=True)
    schedule = models.CharField(_("When"), max_length=200, help_text=_("For example: Tuesdays 10–12"))
    starts_on = models.DateField(_("First time"), null=True, blank=True)
    ends_on = models.DateField(_("Last time"), null=True, blank=True)
    language = models.CharField(
        _("Language"),
        max_length=5,
        default="fi",
        choices=[("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))],
    )
    accessible = models.BooleanField(_("Accessible for wheelchairs"), default=False)
    accessibility = models.CharField(_("More about accessibility"), max_length=300, blank=True)
    cost = models.CharField(_("Cost"), max_length=12, choices=Cost.choices, default=Cost.FREE)
    capacity = models.PositiveIntegerField(_("Places"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)

    objects = ActivityQuerySet.as_manager()

    personal_data: ClassVar = NoPersonalData(
        reason=_(
            "Activities are published by organisations. The participants who proposed or co-run one are "
            "in ActivityPerson."
        )
    )

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["status", "area"], name="activity_status_area")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
            )
        ]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    @property
    def basket_list(self) -> list[str]:
        return [b for b in self.baskets.split(",") if b]

    def basket_labels(self) -> list[str]:
        labels = dict(Basket.choices)
        return [str(labels[b]) for b in self.basket_list if b in labels]

    @staticmethod
    def baskets_code(baskets: list[str]) -> str:
        return "," + ",".join(sorted(set(baskets))) + "," if baskets else ""


class ActivityPerson(TimeStampedModel):
    """A participant who proposed an activity or helps to run it."""

    class Part(models.TextChoices):
        PROPOSER = "proposer", _("Proposed it")
        CO_RUNNER = "co_runner", _("Helps to run it")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    part = models.CharField(max_length=10, choices=Part.choices)

    personal_data: ClassVar = PersonalData(
        subject="person",
        fields=("part",),
        purpose=_("Participants who propose activities or help to run them."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering = ["activity", "part"]
        constraints = [models.UniqueConstraint(fields=["activity", "person", "part"], name="activityperson_unique")]
        verbose_name = _("activity helper")
        verbose_name_plural = _("activity helpers")

    def __str__(self) -> str:
        return f"{self.activity_id} {self.part}"


class SignUp(TimeStampedModel):
    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", _("Signed up")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("a sign-up", "Cancelled")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signups")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="participant",
        fields=("status", "cancelled_at", "created_at"),
        purpose=_("Which activities the participant has chosen."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "participant"],
                condition=Q(status__in=["signed_up", "waiting"]),
                name="signup_one_open_per_participant",
            )
        ]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")

    def __str__(self) -> str:
        return f"Sign-up {self.pk}"

    @property
    def has_place(self) -> bool:
        return self.status == self.Status.SIGNED_UP


class Attendance(TimeStampedModel):
    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="attendances")
    on = models.DateField(_("date"))
    present = models.BooleanField(_("was there"))
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    personal_data: ClassVar = PersonalData(
        subject="signup__participant",
        fields=("on", "present"),
        purpose=_("Whether the participant came to the activity (for the provider's records and the plan)."),
        erasure=Erasure.DELETE,
        extra_subjects=("marked_by",),
    )

    class Meta:
        ordering = ["-on"]
        constraints = [models.UniqueConstraint(fields=["signup", "on"], name="attendance_one_per_day")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")

    def __str__(self) -> str:
        return f"{self.signup_id} {self.on}"


class Meeting(TimeStampedModel):
    """A meeting the participant asked for, and the time agreed."""

    class With(models.TextChoices):
        OWN_WORKER = "own_worker", _("My own worker")
        OFFICIAL = "official", _("The official who decides")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Asked for")
        SCHEDULED = "scheduled", _("Time agreed")
        HELD = "held", pgettext_lazy("a meeting", "Held")
        CANCELLED = "cancelled", pgettext_lazy("a meeting", "Cancelled")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="meetings")
    with_whom = models.CharField(_("Who do you want to meet?"), max_length=12, choices=With.choices)
    topic = models.TextField(_("What would you like to talk about?"))
    wishes = models.CharField(_("Times that suit you"), max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    starts_at = models.DateTimeField(_("Starts"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("Length in minutes"), default=60)
    place = models.CharField(_("Place or link"), max_length=300, blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    personal_data: ClassVar = PersonalData(
        subject="plan__participant",
        fields=("with_whom", "topic", "wishes", "requested_at", "status", "starts_at", "place"),
        purpose=_("Meetings between the participant and their own worker or the deciding official."),
        erasure=Erasure.RETAIN,
        retention=RETENTION,
        extra_subjects=("worker", "requested_by"),
    )

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"Meeting {self.pk}"

    @property
    def is_request(self) -> bool:
        """Asked for, no time agreed yet."""
        return self.status == self.Status.REQUESTED

    @property
    def is_agreed(self) -> bool:
        return self.status == self.Status.SCHEDULED


class Outcome(TimeStampedModel):
    """Something that came out of the plan. A job is one outcome among many."""

    class Kind(models.TextChoices):
        STUDIES = "studies", _("Started studies")
        CERTIFICATE = "certificate", _("Got a certificate")
        COMPETENCE = "competence", _("Showed competence in work activity")
        REHABILITATION = "rehabilitation", _("Started rehabilitation")
        PENSION_ASSESSMENT = "pension", _("Pension assessment")
        COMMUNITY = "community", _("Community activity")
        WORK = "work", _("Work")
        OTHER = "other", _("Something else")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("What happened"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("Tell more"), blank=True)
    achieved_on = models.DateField(_("Date"))
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="outcomes")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    personal_data: ClassVar = PersonalData(
        subject="plan__participant",
        fields=("kind", "description", "achieved_on"),
        purpose=_("What the participant has achieved (studies, certificates, work, rehabilitation...)."),
        erasure=Erasure.RETAIN,
        retention=RETENTION,
        extra_subjects=("recorded_by",),
    )

    class Meta:
        ordering = ["-achieved_on", "-pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"Outcome {self.pk}"
