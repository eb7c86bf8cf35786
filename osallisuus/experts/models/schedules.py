"""Fee schedules and public reference figures: data with effective dates and a source."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from osallisuus.core import formatting
from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import NoPersonalData

from .registry import TaskType

FEE_RETENTION = _("Kept six years after the end of the accounting year (accounting act 2:10).")


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
        return f"{self.name} ({formatting.date(self.valid_from)})"


class FeeItem(models.Model):
    class Unit(models.TextChoices):
        EVENT = "event", _("per event")
        HOUR = "hour", _("per hour")
        MEETING = "meeting", _("per meeting")
        PROJECT = "project", _("per project")
        PACKAGE = "package", _("fixed package")

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
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
        if self.max_amount is not None and self.max_amount != self.amount:
            amount = formatting.money_range(self.amount, self.max_amount)
        else:
            amount = formatting.money(self.amount)
        return f"{self.shown_name}: {amount} {self.get_unit_display()}"

    @property
    def shown_name(self) -> str:
        """The name in the reader's language (Finnish when it has not been translated)."""
        lang = (get_language() or "fi")[:2]
        return str({"sv": self.name_sv, "en": self.name_en}.get(lang) or self.name)


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
        return f"{self.get_kind_display()} {self.valid_from:%Y}: {formatting.number(self.amount, 2)}"
