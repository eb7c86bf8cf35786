"""Task requests, offers and agreements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, PersonalData

from .registry import ExperienceArea, Expert, TaskType
from .schedules import FEE_RETENTION, FeeItem, FeeSchedule


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
    title = models.CharField(pgettext_lazy("the title of a task", "title"), max_length=200)
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
        ACCEPTED = "accepted", pgettext_lazy("a task offer", "Accepted")
        DECLINED = "declined", pgettext_lazy("a task offer", "Declined")
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
        """Agreements for which a fee is actually paid (``Agreement.fee_paid`` in the database):
        the fee counts as the expert's earnings and the allowances are taxable."""
        return self.filter(fee_due=True, volunteer=False, fee__gt=0)

    def without_fee(self) -> AgreementQuerySet:
        """Agreements for which no fee is paid (expenses only, volunteer mode, a no-show or a
        cancellation without a fee due): their allowances are tax-free within the yearly caps."""
        return self.exclude(fee_due=True, volunteer=False, fee__gt=0)


class Agreement(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Agreed")
        DONE = "done", _("Took place")
        NO_SHOW = "no_show", _("The client did not turn up")
        CANCELLED = "cancelled", pgettext_lazy("an agreement", "Cancelled")

    request = models.ForeignKey(TaskRequest, on_delete=models.PROTECT, related_name="agreements")
    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="agreement")
    # No index of its own: agreement_expert_idx (expert, starts_at) serves every lookup by expert.
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="agreements", db_index=False)
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

    @property
    def fee_paid(self) -> bool:
        """Whether a fee is actually paid for the task (``AgreementQuerySet.earning`` in SQL).
        This, not the compensation agreed in the request, decides whether the allowances are
        taxable."""
        return self.fee_due and self.fee > 0 and not self.volunteer
