"""Expenses and the earnings limits the expert records."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallisuus.core import formatting
from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, PersonalData

from .registry import Expert
from .schedules import FEE_RETENTION
from .tasks import Agreement


class ExpenseReport(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", pgettext_lazy("expenses", "Approved")
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
        return f"{self.get_kind_display()} {formatting.money(self.amount)}"


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
        return f"{self.kind}: {formatting.money(self.amount)} / {self.get_period_display()}"
