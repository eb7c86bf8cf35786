"""Instruments as data, rounds, invitations, responses and answers.

An instrument is imported from its owner's file (``definition.py``) and never edited:
a new version is a new import. The platform ships only instruments written by us.
Another owner's instrument that may not be copied (Kykyviisari, AVAIN) is an
``Instrument`` of kind ``external`` without items; ``ExternalAssessment`` records
that one was done and where its result lives.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData


def in_language(texts: dict[str, str] | None, language: str | None = None, fallback: tuple[str, ...] = ()) -> str:
    """The text in the wanted language, else in the UI language, Finnish, English, any."""
    if not texts:
        return ""
    wanted = [language or "", (get_language() or "fi")[:2], *fallback, "fi", "en", "sv"]
    for code in wanted:
        if code and texts.get(code):
            return texts[code]
    return next(iter(texts.values()), "")


class Instrument(TimeStampedModel):
    """One version of a questionnaire (or, for ``external``, a reference to another owner's)."""

    class Kind(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", _("Questionnaire answered here")
        EXTERNAL = "external", _("External instrument (only recorded here)")

    class Scoring(models.TextChoices):
        NONE = "none", _("No score")
        SUM = "sum", _("Sum of items")
        MEAN = "mean", _("Mean of items")

    code = models.SlugField(_("code"), max_length=60)
    version = models.CharField(_("version"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.QUESTIONNAIRE)
    name = models.JSONField(_("name"), default=dict, help_text=_("Per language: {'fi': ..., 'sv': ..., 'en': ...}"))
    owner = models.CharField(_("owner"), max_length=200)
    licence = models.TextField(_("licence"), blank=True)
    attribution = models.TextField(_("attribution"), blank=True)
    instructions = models.JSONField(_("instructions"), default=dict, blank=True)
    purpose = models.JSONField(_("purpose"), default=dict, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    url = models.URLField(_("address of the owner's service"), blank=True)
    is_validated_scale = models.BooleanField(_("validated scale"), default=False)
    is_demo = models.BooleanField(_("demo instrument"), default=False)
    group_reporting_only = models.BooleanField(
        _("group reporting only"),
        default=False,
        help_text=_("No person's score is ever shown to anyone; only group figures."),
    )
    allow_sharing_with_worker = models.BooleanField(_("respondent may share answers with a worker"), default=False)
    scoring = models.CharField(_("scoring"), max_length=10, choices=Scoring.choices, default=Scoring.NONE)
    transform = models.JSONField(_("transform"), default=dict, blank=True)
    score_min = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_max = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    bands = models.JSONField(_("bands"), default=list, blank=True)
    scales = models.JSONField(_("answer scales"), default=list, blank=True)
    definition = models.JSONField(_("definition as imported"), default=dict)
    source_sha256 = models.CharField(max_length=64)
    is_active = models.BooleanField(_("in use"), default=True)

    personal_data: ClassVar = NoPersonalData(
        reason=_("Instrument definitions. Who imported it is in the change events (measurement.instrument.imported).")
    )

    class Meta:
        ordering = ["code", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="measurement_instrument_version")]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return f"{self.display_name} ({self.version})"

    @property
    def display_name(self) -> str:
        return in_language(self.name)

    @property
    def display_instructions(self) -> str:
        return in_language(self.instructions)

    @property
    def display_purpose(self) -> str:
        return in_language(self.purpose)

    @property
    def is_scored(self) -> bool:
        return self.scoring != self.Scoring.NONE

    def scale(self, code: str) -> dict[str, Any]:
        for scale in self.scales:
            if scale["code"] == code:
                return scale
        raise KeyError(code)

    def band_label(self, code: str) -> str:
        for band in self.bands:
            if band["code"] == code:
                return in_language(band.get("label"))
        return code


class Item(models.Model):
    class Kind(models.TextChoices):
        CHOICE = "choice", _("Choice on a scale")
        TEXT = "text", _("Free text")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CHOICE)
    text = models.JSONField(_("text"), default=dict)
    help = models.JSONField(_("hint"), default=dict, blank=True)
    scale = models.CharField(_("scale"), max_length=60, blank=True)
    required = models.BooleanField(_("required"), default=True)
    reverse = models.BooleanField(_("reverse-coded"), default=False)
    scored = models.BooleanField(_("counts in the score"), default=True)

    personal_data: ClassVar = NoPersonalData(reason=_("Instrument definitions."))

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="measurement_item_code")]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.code

    @property
    def display_text(self) -> str:
        return in_language(self.text)

    @property
    def display_help(self) -> str:
        return in_language(self.help)


class RoundQuerySet(models.QuerySet["Round"]):
    def open(self) -> RoundQuerySet:
        now = timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gte=now)


class Round(TimeStampedModel):
    """An instrument given to a defined group at one point in time (baseline, follow-up n)."""

    class GroupKind(models.TextChoices):
        COHORT = "cohort", _("Activation cohort")
        EXPERTS = "experts", _("Experts by experience of an organisation")
        PROJECT = "project", _("Participants of a funded project")
        OTHER = "other", _("Other group")

    class RetentionAction(models.TextChoices):
        DELETE = "delete", _("Delete the answers")
        ANONYMISE = "anonymise", _("Remove the link to people and keep the figures")

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="rounds")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    group_kind = models.CharField(_("group"), max_length=20, choices=GroupKind.choices, default=GroupKind.OTHER)
    group_key = models.SlugField(
        _("group identifier"),
        max_length=80,
        help_text=_("The same identifier on the baseline and the follow-ups of one group, so change can be shown."),
    )
    phase = models.PositiveSmallIntegerField(
        _("point in time"), default=0, help_text=_("0 = baseline, 1 = first follow-up, 2 = second follow-up…")
    )
    context_module = models.CharField(_("module"), max_length=40, blank=True)
    context_ref = models.CharField(_("reference in the module"), max_length=100, blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True)
    purpose = models.TextField(
        _("why the answers are collected"),
        max_length=2000,
        help_text=_("Shown to every respondent before the first question."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    link_valid_days = models.PositiveSmallIntegerField(
        _("personal links valid for (days)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    min_cell_size = models.PositiveSmallIntegerField(
        _("smallest group shown"), default=5, validators=[MinValueValidator(3), MaxValueValidator(50)]
    )
    retention_until = models.DateField(_("answers kept until"))
    retention_action = models.CharField(
        _("when the retention period ends"),
        max_length=12,
        choices=RetentionAction.choices,
        default=RetentionAction.ANONYMISE,
    )
    retention_done_at = models.DateTimeField(null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    personal_data: ClassVar = NoPersonalData(
        reason=_("A round describes a group, not a person. Who created it is in the change events.")
    )

    class Meta:
        ordering = ["-opens_at", "name"]
        verbose_name = _("measurement round")
        verbose_name_plural = _("measurement rounds")

    def __str__(self) -> str:
        return self.name

    @property
    def phase_label(self) -> str:
        if self.phase == 0:
            return str(_("baseline"))
        return str(_("follow-up %(number)d")) % {"number": self.phase}

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() <= self.closes_at


class Invitation(TimeStampedModel):
    """A person invited to a round: seen in the app, and given a personal link by e-mail or on a
    printed answer sheet.

    Only the SHA-256 hash of the link's token is stored. A new link replaces the old one.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    token_used_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)
    sheet_printed_at = models.DateTimeField(
        _("answer sheet printed"),
        null=True,
        blank=True,
        help_text=_("The personal link was printed on an answer sheet: no e-mail reminders replace it."),
    )

    personal_data: ClassVar = PersonalData(
        subject="person",
        fields=("sent_at", "reminded_at", "token_used_at", "sheet_printed_at"),
        purpose=_("Invite a person to answer a questionnaire of a measurement round."),
        erasure=Erasure.DELETE,
        never_export=("token_hash",),
    )

    class Meta:
        ordering = ["round", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="measurement_invitation_once")]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.round} #{self.pk}"


class ResponseQuerySet(models.QuerySet["Response"]):
    def submitted(self) -> ResponseQuerySet:
        return self.filter(status=Response.Status.SUBMITTED)


class Response(TimeStampedModel):
    """One person's answering of one instrument: in a round or started by another module."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", pgettext_lazy("answers to a questionnaire", "Started")
        SUBMITTED = "submitted", pgettext_lazy("answers to a questionnaire", "Sent")
        WITHDRAWN = "withdrawn", pgettext_lazy("answers to a questionnaire", "Withdrawn")

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, null=True, blank=True, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    external_ref = models.CharField(_("respondent code in an imported file"), max_length=64, blank=True, db_index=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    context_module = models.CharField(max_length=40, blank=True, db_index=True)
    context_ref = models.CharField(max_length=100, blank=True)
    area = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=5, default="fi")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    one_per_screen = models.BooleanField(_("one question at a time"), default=False)
    resume_position = models.PositiveSmallIntegerField(
        _("question to continue from"), default=0, help_text=_("0 until answers are saved the first time.")
    )
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    raw_score = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    band = models.CharField(max_length=40, blank=True)
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    personal_data: ClassVar = PersonalData(
        subject="respondent",
        fields=("area", "language", "status", "submitted_at", "withdrawn_at", "context_ref"),
        special_category=("raw_score", "score", "band"),
        purpose=_("Measure inclusion: the person's own answers, and group figures for the organisation."),
        erasure=Erasure.DELETE,
        extra_subjects=("shared_with",),
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["round", "status"], name="measurement_resp_round_idx"),
            models.Index(fields=["instrument", "status", "submitted_at"], name="measurement_resp_instr_idx"),
        ]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.instrument.code} #{self.pk}"


class Answer(models.Model):
    id = models.BigAutoField(primary_key=True)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=4000)

    personal_data: ClassVar = PersonalData(
        subject="response__respondent",
        fields=("text",),
        special_category=("value",),
        purpose=_("The person's own answers to a questionnaire."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering = ["response", "item__order"]
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="measurement_answer_once")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.response_id}:{self.item_id}"


class ExternalAssessment(TimeStampedModel):
    """That an external instrument (Kykyviisari, AVAIN) was done, when, and where the result lives."""

    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="external_assessments",
        limit_choices_to={"kind": Instrument.Kind.EXTERNAL},
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    done_on = models.DateField(_("done on"))
    result_location = models.CharField(
        _("where the result is kept"),
        max_length=300,
        help_text=_("For example: the client plan in the county's client information system."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    personal_data: ClassVar = PersonalData(
        subject="person",
        fields=("done_on", "result_location"),
        purpose=_("Record that an external instrument was done and where its result is kept."),
        erasure=Erasure.DELETE,
        extra_subjects=("recorded_by",),
    )

    class Meta:
        ordering = ["-done_on", "-pk"]
        verbose_name = _("external assessment")
        verbose_name_plural = _("external assessments")

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.done_on}"
