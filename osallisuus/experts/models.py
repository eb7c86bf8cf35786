"""Experts by experience: profiles, training, fee schedules, requests, offers, agreements,
expenses, earnings limits, wellbeing and peer events.

Money is ``Decimal`` everywhere. Figures that change over time (fee schedules, travel
rates, public reference figures, training recommendations) are rows with effective dates
and a source, editable in the admin site, never constants in code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData

FEE_RETENTION = _("Kept six years after the end of the accounting year (accounting act 2:10).")


class NamedCode(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=150)
    name_sv = models.CharField(_("name in Swedish"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150)
    is_active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "fi")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name_fi)


class ExperienceArea(NamedCode):
    """Editable code list: mental health, substance use, homelessness, being a relative..."""

    personal_data: ClassVar = NoPersonalData(reason=_("Code list."))

    class Meta(NamedCode.Meta):
        verbose_name = _("experience area")
        verbose_name_plural = _("experience areas")


class TaskType(NamedCode):
    """Editable code list of task types (expert reception, lecturing, group facilitation...)."""

    personal_data: ClassVar = NoPersonalData(reason=_("Code list."))

    class Meta(NamedCode.Meta):
        verbose_name = _("task type")
        verbose_name_plural = _("task types")


class TrainingRecommendation(models.Model):
    """A published recommendation for the basic training (Kokoa 50 h / 4 months...)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    min_hours = models.DecimalField(_("minimum hours"), max_digits=6, decimal_places=1)
    min_months = models.PositiveSmallIntegerField(_("minimum months"), default=0)
    min_contact_days = models.PositiveSmallIntegerField(_("minimum contact days"), default=0)
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    is_default = models.BooleanField(_("used in matching"), default=False)

    personal_data: ClassVar = NoPersonalData(reason=_("Public recommendation."))

    class Meta:
        ordering = ["-is_default", "code"]
        verbose_name = _("training recommendation")
        verbose_name_plural = _("training recommendations")

    def __str__(self) -> str:
        return self.name


class ExpertQuerySet(models.QuerySet["Expert"]):
    def active(self) -> ExpertQuerySet:
        from osallisuus.accounts.selectors import inactive_user_ids

        # NOT IN the few deactivated accounts, rather than a join over every user row.
        return self.filter(status=Expert.Status.ACTIVE).exclude(user_id__in=inactive_user_ids())

    def available_on(self, day: dt.date) -> ExpertQuerySet:
        return self.filter(Q(paused_until__isnull=True) | Q(paused_until__lt=day))


class Expert(TimeStampedModel):
    """The profile of an expert by experience in one brokering organisation."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        IN_TRAINING = "in_training", _("In training")
        INACTIVE = "inactive", _("Not active")
        ENDED = "ended", _("Left the registry")

    class Perspective(models.TextChoices):
        OWN = "own", _("Own experience")
        RELATIVE = "relative", _("Experience as a relative")
        BOTH = "both", _("Both")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profiles")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="experts")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    experience_areas = models.ManyToManyField(ExperienceArea, verbose_name=_("experience areas"), blank=True)
    perspective = models.CharField(
        _("perspective"), max_length=10, choices=Perspective.choices, default=Perspective.OWN
    )
    languages = models.CharField(
        _("languages"), max_length=100, default=",fi,", help_text=_("Language codes between commas, e.g. ,fi,sv,")
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    municipalities = models.CharField(_("municipalities served"), max_length=300, blank=True)
    task_types = models.ManyToManyField(TaskType, verbose_name=_("task types wanted"), blank=True)
    works_remotely = models.BooleanField(_("can work remotely"), default=True)
    works_on_site = models.BooleanField(_("can work on site"), default=True)
    paused_until = models.DateField(_("not available until"), null=True, blank=True)
    pause_reason = models.CharField(
        _("reason for the pause"),
        max_length=300,
        blank=True,
        help_text=_("Only the expert and the coordinator see this."),
    )
    ended_on = models.DateField(_("left the registry on"), null=True, blank=True)
    contact_preferences = models.CharField(_("contact preferences"), max_length=300, blank=True)
    diagnoses = models.TextField(_("diagnoses"), blank=True)
    story = models.TextField(_("experience story"), blank=True)
    # Consent to show sensitive fields to orderers (recorded with time).
    share_diagnoses = models.BooleanField(_("orderers may see my diagnoses"), default=False)
    share_story = models.BooleanField(_("orderers may read my experience story"), default=False)
    share_contact = models.BooleanField(_("orderers may see my contact details"), default=False)
    consent_recorded_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    # Where the story may be told.
    story_students = models.BooleanField(_("to students"), default=True)
    story_professionals = models.BooleanField(_("to professionals"), default=True)
    story_media = models.BooleanField(_("in the media"), default=False)
    story_recordings = models.BooleanField(_("in recordings"), default=False)
    # Kept up to date by services.training_record (used by matching in the database).
    training_hours = models.DecimalField(_("training hours"), max_digits=6, decimal_places=1, default=Decimal("0"))
    training_months = models.PositiveSmallIntegerField(_("training months"), default=0)
    training_contact_days = models.PositiveSmallIntegerField(_("contact days"), default=0)
    last_offered_at = models.DateTimeField(_("last offered work"), null=True, blank=True)

    objects = ExpertQuerySet.as_manager()

    personal_data: ClassVar = PersonalData(
        subject="user",
        fields=(
            "languages",
            "region",
            "municipalities",
            "perspective",
            "paused_until",
            "contact_preferences",
            "share_diagnoses",
            "share_story",
            "share_contact",
            "consent_recorded_at",
            "story_students",
            "story_professionals",
            "story_media",
            "story_recordings",
            "training_hours",
            "training_months",
            "ended_on",
        ),
        special_category=("diagnoses", "story", "pause_reason"),
        purpose=_("Broker tasks to experts by experience that suit them."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering = ["user__full_name"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="expert_unique_user_org")]
        indexes = [
            models.Index(fields=["organisation", "status", "region"], name="expert_match_idx"),
            models.Index(fields=["organisation", "last_offered_at"], name="expert_offered_idx"),
        ]
        verbose_name = _("expert by experience")
        verbose_name_plural = _("experts by experience")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def language_list(self) -> list[str]:
        return [c for c in self.languages.split(",") if c]


class TrainingCourse(TimeStampedModel):
    class Kind(models.TextChoices):
        BASIC = "basic", _("Basic training for experts by experience")
        PEER = "peer", _("Peer training")
        SUPPORT_PERSON = "support_person", _("Support-person training")
        JOINT = "joint", _("Joint training with professionals")
        FURTHER = "further", _("Further training")

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="courses")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BASIC)
    title = models.CharField(_("course"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=200)
    contact_days = models.PositiveSmallIntegerField(_("contact days"), default=0)
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )
    months = models.PositiveSmallIntegerField(_("duration in months"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="expert__user",
        fields=("title", "organiser", "hours", "months", "completed_on", "contact_days"),
        purpose=_("Show the expert's training against the recommendations; certificates."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering = ["-completed_on", "title"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")

    def __str__(self) -> str:
        return self.title


class FeeSchedule(TimeStampedModel):
    """The fee table of a brokering organisation, in force from ``valid_from`` to ``valid_until``."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="fee_schedules",
        null=True,
        blank=True,
        help_text=_("Empty for an example table that organisations can copy."),
    )
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    is_example = models.BooleanField(_("example data"), default=False)
    free_cancellation_hours = models.PositiveSmallIntegerField(_("free cancellation until (hours before)"), default=24)
    fee_due_on_no_show = models.BooleanField(_("fee is paid when the client does not turn up"), default=True)
    travel_per_km = models.DecimalField(_("kilometre allowance (€/km)"), max_digits=6, decimal_places=3)
    max_km_per_task = models.PositiveIntegerField(_("most kilometres for one task"), default=1000)

    personal_data: ClassVar = NoPersonalData(reason=_("An organisation's price list."))

    class Meta:
        ordering = ["organisation__name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="feeschedule_valid_range",
            ),
        ]
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d.%m.%Y})"


class FeeItem(models.Model):
    class Unit(models.TextChoices):
        EVENT = "event", _("per event")
        HOUR = "hour", _("per hour")
        MEETING = "meeting", _("per meeting")
        PROJECT = "project", _("per project")
        PACKAGE = "package", _("fixed package")

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    amount = models.DecimalField(
        _("amount (€)"), validators=[MinValueValidator(Decimal("0"))], max_digits=10, decimal_places=2
    )
    max_amount = models.DecimalField(
        _("highest amount (€)"),
        null=True,
        blank=True,
        max_digits=10,
        decimal_places=2,
        help_text=_("For a range such as 100–600 € per event."),
    )
    included_hours = models.DecimalField(
        _("preparation hours included"), max_digits=4, decimal_places=1, default=Decimal("0")
    )
    task_types = models.ManyToManyField(TaskType, blank=True, verbose_name=_("task types"))

    personal_data: ClassVar = NoPersonalData(reason=_("An organisation's price list."))

    class Meta:
        ordering = ["schedule", "code"]
        constraints = [models.UniqueConstraint(fields=["schedule", "code"], name="feeitem_unique_code")]
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")

    def __str__(self) -> str:
        from django.utils.formats import localize

        amount = localize(self.amount)
        if self.max_amount is not None and self.max_amount != self.amount:
            amount = f"{amount}–{localize(self.max_amount)}"
        return f"{self.name}: {amount} € {self.get_unit_display()}"


class ReferenceFigure(models.Model):
    """Public figures by year, kept by an administrator (earnings limits, volunteer caps, rates)."""

    class Kind(models.TextChoices):
        DISABILITY_PENSION_MIN = "disability_pension_min", _("Disability pension: minimum monthly earnings limit")
        VOLUNTEER_ALLOWANCE_DAYS = "volunteer_allowance_days", _("Volunteer: tax-free daily allowances a year (days)")
        VOLUNTEER_KM_CAP = "volunteer_km_cap", _("Volunteer: tax-free kilometre allowances a year (€)")
        KM_RATE = "km_rate", _("Tax-free kilometre allowance (€/km)")
        FULL_DAY_ALLOWANCE = "full_day_allowance", _("Full daily allowance (€)")
        PART_DAY_ALLOWANCE = "part_day_allowance", _("Partial daily allowance (€)")
        MEAL_ALLOWANCE = "meal_allowance", _("Meal allowance (€)")

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    unconfirmed = models.BooleanField(_("unconfirmed example"), default=False)

    personal_data: ClassVar = NoPersonalData(reason=_("Public figures."))

    class Meta:
        ordering = ["kind", "-valid_from"]
        verbose_name = _("public reference figure")
        verbose_name_plural = _("public reference figures")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.valid_from:%Y}: {self.amount}"


class TaskRequestQuerySet(models.QuerySet["TaskRequest"]):
    def open(self) -> TaskRequestQuerySet:
        return self.filter(
            status__in=[TaskRequest.Status.SUBMITTED, TaskRequest.Status.NEEDS_DETAILS, TaskRequest.Status.OPEN]
        )


class TaskRequest(TimeStampedModel):
    """An orderer's request for one or more experts by experience."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        NEEDS_DETAILS = "needs_details", _("More details asked")
        OPEN = "open", _("Looking for experts")
        FILLED = "filled", _("Experts found")
        DONE = "done", pgettext_lazy("a task request that took place", "Done")
        CANCELLED = "cancelled", pgettext_lazy("a task request", "Cancelled")

    class Setting(models.TextChoices):
        LOW_THRESHOLD = "low_threshold", _("Low-threshold services")
        SOCIAL_SERVICES = "social_services", _("Social services")
        HEALTH_SERVICES = "health_services", _("Health services")
        OUTREACH = "outreach", _("Outreach social work")
        THIRD_SECTOR = "third_sector", _("Third sector")
        EDUCATION = "education", _("Education")
        OTHER = "other", pgettext_lazy("a task setting", "Other")

    class Compensation(models.TextChoices):
        FEE = "fee", _("Fee by the fee schedule, plus expenses")
        EXPENSES = "expenses", _("Expenses only")
        VOLUNTARY = "voluntary", _("Voluntary, no pay")
        SALARIED = "salaried", _("Salaried work")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="expert_requests",
        verbose_name=_("ordering organisation"),
    )
    broker = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="brokered_requests",
        verbose_name=_("brokering organisation"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    task_type = models.ForeignKey(TaskType, on_delete=models.PROTECT, verbose_name=_("task type"))
    setting = models.CharField(_("setting"), max_length=20, choices=Setting.choices, default=Setting.SOCIAL_SERVICES)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveIntegerField(
        _("duration in minutes"), validators=[MinValueValidator(15), MaxValueValidator(12 * 60)]
    )
    sessions = models.PositiveSmallIntegerField(
        _("number of sessions"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("Recurring sessions, one a week at the same time."),
    )
    remote = models.BooleanField(_("remote"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    experience_area = models.ForeignKey(
        ExperienceArea, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("experience wanted")
    )
    language = models.CharField(
        _("language"), max_length=5, default="fi", choices=[("fi", "suomi"), ("sv", "svenska"), ("en", "English")]
    )
    partner_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnered_requests",
        verbose_name=_("professional partner (lähityöntekijä)"),
    )
    places = models.PositiveSmallIntegerField(
        _("number of experts"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    compensation = models.CharField(
        _("compensation"), max_length=10, choices=Compensation.choices, default=Compensation.FEE
    )
    fee_item_code = models.SlugField(_("fee item"), max_length=50, blank=True)
    fee_amount = models.DecimalField(
        _("agreed fee (€)"),
        null=True,
        blank=True,
        max_digits=10,
        decimal_places=2,
        help_text=_("For a fee with a range, the amount agreed for this task; empty means the lowest amount."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    coordinator_note = models.TextField(_("message from the coordinator"), blank=True)

    objects = TaskRequestQuerySet.as_manager()

    personal_data: ClassVar = PersonalData(
        subject="created_by",
        fields=("description", "address", "coordinator_note"),
        extra_subjects=("partner_worker",),
        purpose=_("A work order between organisations: who ordered, what, where, and who walks beside the expert."),
        erasure=Erasure.RETAIN,
        retention=FEE_RETENTION,
    )

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["broker", "status", "starts_at"], name="request_broker_idx")]
        verbose_name = _("task request")
        verbose_name_plural = _("task requests")

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def is_paid(self) -> bool:
        return self.compensation == self.Compensation.FEE


class Offer(TimeStampedModel):
    class Status(models.TextChoices):
        OFFERED = "offered", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        TAKEN = "taken", _("Taken by others")
        WITHDRAWN = "withdrawn", pgettext_lazy("a task offer", "Withdrawn")

    request = models.ForeignKey(TaskRequest, on_delete=models.CASCADE, related_name="offers")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="offers")
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    decline_reason = models.CharField(_("reason (optional)"), max_length=300, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    match_reasons = models.JSONField(_("why suggested"), default=list, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="expert__user",
        extra_subjects=("offered_by",),
        fields=("status", "decline_reason", "answered_at"),
        purpose=_("Offer tasks and record the expert's answer."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["request", "expert"], name="offer_unique_request_expert")]
        indexes = [models.Index(fields=["expert", "created_at"], name="offer_expert_idx")]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return f"{self.request} → {self.expert}"


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def binding(self) -> AgreementQuerySet:
        """Agreements that occupy the expert's time."""
        return self.filter(status__in=[Agreement.Status.ACTIVE, Agreement.Status.DONE])

    def earning(self) -> AgreementQuerySet:
        """Agreements whose fee counts as the expert's earnings."""
        return self.filter(fee_due=True, volunteer=False, fee__gt=0)


class Agreement(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Agreed")
        DONE = "done", _("Took place")
        NO_SHOW = "no_show", _("The client did not turn up")
        CANCELLED = "cancelled", pgettext_lazy("an agreement", "Cancelled")

    request = models.ForeignKey(TaskRequest, on_delete=models.PROTECT, related_name="agreements")
    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="agreement")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="agreements")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    volunteer = models.BooleanField(_("volunteer mode: no fee, costs paid"), default=False)
    schedule = models.ForeignKey(FeeSchedule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    fee_item = models.ForeignKey(FeeItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    fee = models.DecimalField(_("fee (€)"), default=Decimal("0"), max_digits=10, decimal_places=2)
    fee_due = models.BooleanField(_("fee is due"), default=True)
    travel_per_km = models.DecimalField(
        _("kilometre allowance (€/km)"), max_digits=6, decimal_places=3, default=Decimal("0")
    )
    free_cancellation_hours = models.PositiveSmallIntegerField(_("free cancellation until (hours before)"), default=24)
    fee_due_on_no_show = models.BooleanField(default=True)
    terms = models.TextField(_("terms"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    personal_data: ClassVar = PersonalData(
        subject="expert__user",
        fields=("fee", "volunteer", "status", "starts_at", "ends_at", "confirmed_at"),
        purpose=_("The contract for a task and the fee paid for it."),
        erasure=Erasure.RETAIN,
        retention=FEE_RETENTION,
    )

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["expert", "starts_at"], name="agreement_expert_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="agreement_ends_after_start"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="agreement_fee_not_negative"),
        ]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"{self.request} / {self.expert}"


class ExpenseReport(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for correction")

    agreement = models.OneToOneField(Agreement, on_delete=models.PROTECT, related_name="expense_report")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    note = models.CharField(_("note"), max_length=300, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="agreement__expert__user",
        extra_subjects=("approved_by",),
        fields=("note", "status", "approved_at"),
        purpose=_("Pay the expert's costs."),
        erasure=Erasure.RETAIN,
        retention=FEE_RETENTION,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("expense report")
        verbose_name_plural = _("expense reports")

    def __str__(self) -> str:
        return f"{self.agreement}"


class ExpenseItem(models.Model):
    class Kind(models.TextChoices):
        KILOMETRES = "km", _("Kilometres by own car")
        TICKET = "ticket", _("Tickets")
        MEAL = "meal", _("Meals")
        LODGING = "lodging", _("Lodging")
        DAILY_ALLOWANCE = "daily_allowance", _("Daily allowance")

    report = models.ForeignKey(ExpenseReport, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    kilometres = models.DecimalField(_("kilometres"), max_digits=7, decimal_places=1, null=True, blank=True)
    amount = models.DecimalField(_("amount (€)"), max_digits=10, decimal_places=2)
    taxable = models.BooleanField(_("taxable"), default=False)
    receipt = models.FileField(_("receipt"), upload_to="experts/receipts/%Y/%m/", blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="report__agreement__expert__user",
        fields=("kilometres", "amount", "receipt", "description"),
        purpose=_("Pay the expert's costs."),
        erasure=Erasure.RETAIN,
        retention=FEE_RETENTION,
    )

    class Meta:
        ordering = ["report", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="expenseitem_amount_not_negative")]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class EarningsLimit(TimeStampedModel):
    """A limit the expert records for themself (or the coordinator together with them),
    e.g. a disability-pension earnings limit."""

    class Period(models.TextChoices):
        MONTH = "month", _("a month")
        YEAR = "year", _("a year")

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="earnings_limits")
    kind = models.CharField(_("kind of limit"), max_length=200)
    amount = models.DecimalField(
        _("amount (€)"), validators=[MinValueValidator(Decimal("0.01"))], max_digits=10, decimal_places=2
    )
    period = models.CharField(_("period"), max_length=5, choices=Period.choices, default=Period.MONTH)
    consecutive_months = models.PositiveSmallIntegerField(
        _("consecutive months that matter"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(12)],
        help_text=_("For example 3 when a pension may be suspended after three months in a row over the limit."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
        help_text=_("The expert, or the coordinator who recorded the limit together with them."),
    )

    personal_data: ClassVar = PersonalData(
        subject="expert__user",
        extra_subjects=("recorded_by",),
        fields=("kind", "amount", "period", "consecutive_months", "valid_from", "valid_until", "source"),
        special_category=("kind",),
        purpose=_("Warn the expert before a fee would cross their benefit's earnings limit."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("earnings limit")
        verbose_name_plural = _("earnings limits")

    def __str__(self) -> str:
        return f"{self.kind}: {self.amount} € / {self.get_period_display()}"


class SupportSession(TimeStampedModel):
    class Kind(models.TextChoices):
        SUPERVISION = "supervision", _("Supervision (työnohjaus)")
        PEER_SUPPORT = "peer_support", _("Peer support")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    attendees = models.ManyToManyField(Expert, related_name="support_sessions", blank=True, verbose_name=_("attendees"))

    personal_data: ClassVar = NoPersonalData(
        reason=_(
            "Attendance is personal data only through the attendee list, which is deleted with the expert profile."
        )
    )

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("supervision or peer-support session")
        verbose_name_plural = _("supervision and peer-support sessions")


class CheckIn(TimeStampedModel):
    """The expert's own "how are you coping" (1 = hard, 5 = well)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="checkins")
    coping = models.PositiveSmallIntegerField(
        _("how are you coping"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    wants_contact = models.BooleanField(_("I would like the coordinator to contact me"), default=False)

    personal_data: ClassVar = PersonalData(
        subject="expert__user",
        fields=("wants_contact",),
        special_category=("coping",),
        purpose=_("Let the coordinator support the expert's wellbeing."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")


class PeerEvent(TimeStampedModel):
    class Kind(models.TextChoices):
        PEER_MEETING = "peer_meeting", _("Peer meeting")
        FURTHER_TRAINING = "further_training", _("Further training")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    participants = models.ManyToManyField(Expert, related_name="peer_events", blank=True)

    personal_data: ClassVar = NoPersonalData(reason=_("An event; sign-ups go with the expert profile."))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("peer event")
        verbose_name_plural = _("peer events")

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_notifications")
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="user",
        fields=("message", "read_at"),
        purpose=_("Tell the person about their tasks."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="expert_notification_idx")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.message
