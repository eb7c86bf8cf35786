"""Money."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData

from .applications import Application, Attachment
from .base import MONEY, RECORD_RETENTION
from .review import Decision


class Report(models.Model):
    """An interim or final report of a funded project, attached to payment requests."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim report")
        FINAL = "final", _("Final report")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("report"))
    attachment = models.ForeignKey(Attachment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar = PersonalData(
        subject="submitted_by",
        fields=("submitted_by",),
        purpose=_("A report you sent for a funded project."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["application", "submitted_at"]
        verbose_name = _("project report")
        verbose_name_plural = _("project reports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.submitted_at:%d.%m.%Y}"


class Payment(TimeStampedModel):
    """A payment request and its payment. The same idempotency key pays once."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Advance")
        INSTALMENT = "instalment", _("Instalment")
        LUMP_SUM = "lump_sum", _("Lump sum on outputs")
        FINAL = "final", _("Final payment")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="payments")
    idempotency_key = models.CharField(max_length=80, unique=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    personal_data: ClassVar = PersonalData(
        subject="requested_by",
        fields=("requested_by", "paid_by"),
        extra_subjects=("paid_by",),
        purpose=_("A payment you requested or approved for a funded project."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_payment_amount_positive")]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class Loan(TimeStampedModel):
    """The city's self-financing loan to an NGO, with its repayment schedule."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="loans")
    lender = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    granted_on = models.DateField(_("granted on"))
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)

    personal_data: ClassVar = NoPersonalData(reason=_("A loan between organisations."))

    class Meta:
        ordering = ["-granted_on"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_loan_amount_positive")]
        verbose_name = _("self-financing loan")
        verbose_name_plural = _("self-financing loans")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.amount}"


class LoanInstalment(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField(_("due"))
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    repaid_on = models.DateField(_("repaid on"), null=True, blank=True)

    personal_data: ClassVar = NoPersonalData(reason=_("A loan between organisations."))

    class Meta:
        ordering = ["loan", "due_on"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_instalment_amount_positive")]
        verbose_name = _("loan instalment")
        verbose_name_plural = _("loan instalments")

    def __str__(self) -> str:
        return f"{self.due_on:%d.%m.%Y}: {self.amount}"
