"""The registry: code lists, training recommendations, experts and their training."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts.selectors import inactive_user_ids
from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData


class NamedCode(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=150)
    name_sv = models.CharField(_("name in Swedish"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150)
    is_active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(pgettext_lazy("the place in a list", "order"), default=100)

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
        # NOT IN the few deactivated accounts, rather than a join over every user row.
        return self.filter(status=Expert.Status.ACTIVE).exclude(user_id__in=inactive_user_ids())

    def available_on(self, day: dt.date) -> ExpertQuerySet:
        return self.filter(Q(paused_until__isnull=True) | Q(paused_until__lt=day))


class Expert(TimeStampedModel):
    """The profile of an expert by experience in one brokering organisation."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("an expert's status", "Active")
        IN_TRAINING = "in_training", _("In training")
        INACTIVE = "inactive", pgettext_lazy("an expert's status", "Not active")
        ENDED = "ended", _("Left the registry")

    class Perspective(models.TextChoices):
        OWN = "own", _("Own experience")
        RELATIVE = "relative", _("Experience as a relative")
        BOTH = "both", pgettext_lazy("both kinds of experience", "Both")

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
