"""Applications."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData

from .base import MONEY, RECORD_RETENTION, ZERO, _tracking_number
from .frame import Funder, Idea, Programme


class Call(TimeStampedModel):
    """A call for applications, open between two moments in Finnish time."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="calls")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    funders = models.ManyToManyField(Funder, related_name="calls", verbose_name=_("funders taking part"))
    year = models.PositiveSmallIntegerField(_("budget year"))

    personal_data: ClassVar = NoPersonalData(reason=_("A call belongs to the programme."))

    class Meta:
        ordering = ["-closes_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="funding_call_closes_after_opening")
        ]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    personal_data: ClassVar = NoPersonalData(reason=_("Criteria of a call."))

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


class Application(TimeStampedModel):
    """An application to a call, by an applicant organisation, written by several users."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECIDED = "decided", _("Decided")
        CLOSED = "closed", _("Closed")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="funding_applications"
    )
    co_applicants = models.ManyToManyField("accounts.Organisation", blank=True, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="applications")
    resubmission_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="resubmissions"
    )
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, default=_tracking_number)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    title = models.CharField(_("project name"), max_length=200)
    aims = models.TextField(_("aims"), blank=True)
    target_group = models.TextField(_("target group"), blank=True)
    activities = models.TextField(_("activities"), blank=True)
    schedule = models.TextField(_("schedule"), blank=True)
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True)
    starts_on = models.DateField(_("project starts"), null=True, blank=True)
    ends_on = models.DateField(_("project ends"), null=True, blank=True)
    lump_sum = models.BooleanField(_("lump sum (kertakorvaus)"), default=True)

    eura_application_number = models.CharField(_("EURA application number"), max_length=40, blank=True)
    eura_project_code = models.CharField(_("EURA project code"), max_length=40, blank=True)
    diary_number = models.CharField(_("diary number"), max_length=40, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    personal_data: ClassVar = PersonalData(
        subject="created_by",
        fields=("created_by",),
        purpose=_("You started a funding application for your organisation."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["call", "status"], name="funding_app_call_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="funding_application_dates_in_order",
            )
        ]
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")

    def __str__(self) -> str:
        return f"{self.title} ({self.tracking_number})"


class ApplicationUser(models.Model):
    """A person who may write and read an application for the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="users")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funding_applications")
    is_contact = models.BooleanField(_("contact person"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar = PersonalData(
        subject="user",
        fields=("user", "is_contact"),
        purpose=_("You may write and read this funding application."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "user"], name="funding_appuser_once")]
        verbose_name = _("application user")
        verbose_name_plural = _("application users")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.user_id}"


class Output(models.Model):
    """A planned output with its indicator; for a lump sum, the decision names these outputs."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="outputs")
    description = models.CharField(_("output"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=200)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    reached = models.DecimalField(_("reached"), max_digits=10, decimal_places=2, null=True, blank=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    personal_data: ClassVar = PersonalData(
        subject="reported_by",
        fields=("reported_by", "verified_by"),
        extra_subjects=("verified_by",),
        purpose=_("You reported or verified the outputs of a funded project."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("output")
        verbose_name_plural = _("outputs")

    def __str__(self) -> str:
        return self.description


class CostLine(models.Model):
    class Category(models.TextChoices):
        STAFF = "staff", _("Staff")
        SERVICES = "services", _("Services bought")
        TRAVEL = "travel", _("Travel")
        MATERIALS = "materials", _("Materials and equipment")
        PREMISES = "premises", _("Premises")
        OTHER = "other", pgettext_lazy("a kind of cost", "Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="costs")
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(_("amount (€)"), validators=[MinValueValidator(ZERO)], **MONEY)

    personal_data: ClassVar = NoPersonalData(reason=_("A project's cost estimate."))

    class Meta:
        ordering = ["application", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="funding_costline_not_negative")]
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")

    def __str__(self) -> str:
        return self.description


class FinancingLine(models.Model):
    class Source(models.TextChoices):
        ESF_STATE = "esf_state", _("ESF+ and state")
        CITY = "city", _("City")
        MAIN_IMPLEMENTER = "main_implementer", _("Main implementer")
        OWN_MONEY = "own_money", _("Own financing: money")
        OWN_VOLUNTEER = "own_volunteer", _("Own financing: volunteer work")
        OTHER = "other", pgettext_lazy("a financing source", "Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="financing")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    amount = models.DecimalField(_("amount (€)"), validators=[MinValueValidator(ZERO)], **MONEY)
    note = models.CharField(_("note"), max_length=300, blank=True)

    personal_data: ClassVar = NoPersonalData(reason=_("A project's financing plan."))

    class Meta:
        ordering = ["application", "source"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_financing_not_negative"),
            models.UniqueConstraint(fields=["application", "source"], name="funding_financing_one_per_source"),
        ]
        verbose_name = _("financing line")
        verbose_name_plural = _("financing lines")

    def __str__(self) -> str:
        return self.get_source_display()


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", _("Project plan")
        BUDGET = "budget", _("Budget")
        STATUTES = "statutes", _("Statutes or register extract")
        REPORT = "report", _("Report")
        MINUTES = "minutes", _("Minutes")
        OTHER = "other", pgettext_lazy("a kind of attachment", "Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="funding/attachments/%Y/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar = PersonalData(
        subject="uploaded_by",
        fields=("uploaded_by",),
        purpose=_("You attached a file to a funding application."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["application", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
