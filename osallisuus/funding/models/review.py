"""Review."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData

from .applications import Application, Criterion, Output
from .base import MONEY, RECORD_RETENTION, ZERO
from .frame import Envelope, Funder


class Review(TimeStampedModel):
    """One reviewer's comment and scores. Others' reviews are shown only after one's own is written."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="funding_reviews")
    comment = models.TextField(_("comment"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="reviewer",
        fields=("reviewer", "comment"),
        purpose=_("Your review of a funding application."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["application", "submitted_at"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="funding_review_once")]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.reviewer_id}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score (0–5)"), validators=[MaxValueValidator(5)])

    personal_data: ClassVar = NoPersonalData(reason=_("A score is part of a review; the review names its writer."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="funding_score_once"),
            models.CheckConstraint(condition=Q(score__lte=5), name="funding_score_at_most_5"),
        ]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class Recommendation(models.Model):
    """A funder's position for the decision bodies: agree or disagree, with a note."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="recommendations")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField(_("recommends funding"))
    amount = models.DecimalField(_("recommended amount (€)"), null=True, blank=True, **MONEY)
    note = models.TextField(_("note"), blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    written_at = models.DateTimeField(auto_now=True)

    personal_data: ClassVar = PersonalData(
        subject="written_by",
        fields=("written_by",),
        purpose=_("A funding recommendation you wrote for your organisation."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "funder"], name="funding_recommendation_once")]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.funder_id}"


class Hearing(models.Model):
    """The applicants' hearing by the funders after submission, with minutes."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="hearings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    minutes = models.TextField(_("minutes"), blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)

    personal_data: ClassVar = NoPersonalData(
        reason=_("A meeting of organisations; the minutes are the funders' record.")
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="funding_hearing_ends_after_start")
        ]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.starts_at:%d.%m.%Y}"


class Decision(TimeStampedModel):
    """One funder's legal decision on one application. At most one per funder and application."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="decisions")
    envelope = models.ForeignKey(Envelope, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decision date"))
    decider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (€)"), default=ZERO, **MONEY)
    conditions = models.TextField(_("conditions"), blank=True)
    refusal_reasons = models.TextField(_("reasons for refusal"), blank=True)
    outputs = models.ManyToManyField(
        Output, blank=True, related_name="decisions", verbose_name=_("outputs the lump sum pays for")
    )

    personal_data: ClassVar = PersonalData(
        subject="decider",
        fields=("decider",),
        purpose=_("A funding decision you made as your organisation's decider."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["-decided_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "funder"], name="funding_decision_one_per_funder"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_decision_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(outcome="granted", amount__gt=0) | Q(outcome="refused", amount=0),
                name="funding_decision_amount_matches_outcome",
            ),
        ]
        verbose_name = _("funding decision")
        verbose_name_plural = _("funding decisions")

    def __str__(self) -> str:
        return f"{self.number} ({self.funder})"
