"""Frame."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData

from .base import MONEY, RECORD_RETENTION, ZERO


class FundingRule(models.Model):
    """A rule that is law or policy, with the date it takes effect and its source."""

    class Kind(models.TextChoices):
        LUMP_SUM_MAX_TOTAL = "lump_sum_max_total", _("Lump sum: largest total cost of a project (€)")
        ADVANCE_MAX_PERCENT = "advance_max_percent", _("Advance: largest share of the support (%)")
        ATTACHMENT_MAX_MB = "attachment_max_mb", _("Attachment: largest file size (MB)")

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    value = models.DecimalField(_("value"), **MONEY)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)

    personal_data: ClassVar = NoPersonalData(reason=_("Public rules of funding."))

    class Meta:
        ordering = ["kind", "-valid_from"]
        verbose_name = _("funding rule")
        verbose_name_plural = _("funding rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.valid_from:%d.%m.%Y}"


class Programme(TimeStampedModel):
    """A funding programme, run by one organisation (the city, or a main implementer)."""

    class Model(models.TextChoices):
        PARTNERSHIP = "partnership", _("Partnership funding (city and ELY/ESF+, two decisions)")
        INTERNAL = "internal", _("Internal calls of a main implementer")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    model = models.CharField(_("funding model"), max_length=12, choices=Model.choices, default=Model.PARTNERSHIP)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="funding_programmes"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="internal_programmes",
        help_text=_("For internal calls: the programme whose funding the main implementer holds."),
    )
    year_from = models.PositiveSmallIntegerField(_("first year"))
    year_until = models.PositiveSmallIntegerField(_("last year"))

    personal_data: ClassVar = NoPersonalData(reason=_("A funding programme belongs to the organisation that runs it."))

    class Meta:
        ordering = ["-year_from", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(year_until__gte=F("year_from")), name="funding_programme_years_in_order")
        ]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")

    def __str__(self) -> str:
        return self.name


class Funder(models.Model):
    """An organisation that funds a programme, and which share it decides."""

    class Share(models.TextChoices):
        ESF_STATE = "esf_state", _("ESF+ and state share")
        CITY = "city", _("Municipal share")
        MAIN_IMPLEMENTER = "main_implementer", _("Main implementer's re-grants")
        OTHER = "other", pgettext_lazy("a funding share", "Other")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="funders")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    share = models.CharField(_("share"), max_length=20, choices=Share.choices)
    is_convener = models.BooleanField(_("convenes the steering group"), default=False)

    personal_data: ClassVar = NoPersonalData(reason=_("Funders are organisations."))

    class Meta:
        ordering = ["programme", "share"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "share"], name="funding_funder_one_per_share"),
            models.UniqueConstraint(fields=["programme", "organisation"], name="funding_funder_once"),
        ]
        verbose_name = _("funder")
        verbose_name_plural = _("funders")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_share_display()})"


class FrameDocument(models.Model):
    """A document the programme rests on: the city strategy, the wellbeing report, ..."""

    class Kind(models.TextChoices):
        CITY_STRATEGY = "city_strategy", _("City strategy")
        WELLBEING_PRIORITIES = "wellbeing_priorities", _("Yearly wellbeing priorities")
        WELLBEING_REPORT = "wellbeing_report", _("Wellbeing report")
        REGIONAL_PRIORITIES = "regional_priorities", _("Regional development priorities")
        NATIONAL_PROGRAMME = "national_programme", _("National structural-fund programme")
        OTHER = "other", pgettext_lazy("a kind of document", "Other")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), blank=True)
    file = models.FileField(_("file"), upload_to="funding/frame/", blank=True)
    dated = models.DateField(_("date"))

    personal_data: ClassVar = NoPersonalData(reason=_("Public documents."))

    class Meta:
        ordering = ["programme", "kind", "-dated"]
        verbose_name = _("frame document")
        verbose_name_plural = _("frame documents")

    def __str__(self) -> str:
        return self.title


class Envelope(models.Model):
    """A funder's yearly cap. ``decided`` and ``paid`` are changed only by the services, under lock."""

    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="envelopes")
    year = models.PositiveSmallIntegerField(_("year"))
    cap = models.DecimalField(_("cap (€)"), **MONEY)
    source = models.CharField(_("source"), max_length=300)
    decided = models.DecimalField(_("decided (€)"), default=ZERO, **MONEY)
    paid = models.DecimalField(_("paid (€)"), default=ZERO, **MONEY)

    personal_data: ClassVar = NoPersonalData(reason=_("A funder's yearly budget."))

    class Meta:
        ordering = ["funder", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["funder", "year"], name="funding_envelope_one_per_year"),
            models.CheckConstraint(condition=Q(cap__gt=0), name="funding_envelope_cap_positive"),
            models.CheckConstraint(
                condition=Q(decided__gte=0) & Q(decided__lte=F("cap")), name="funding_envelope_decided_within_cap"
            ),
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=F("decided")), name="funding_envelope_paid_within_decided"
            ),
        ]
        verbose_name = _("yearly envelope")
        verbose_name_plural = _("yearly envelopes")

    def __str__(self) -> str:
        return f"{self.funder} {self.year}"

    @property
    def remaining(self) -> Decimal:
        return self.cap - self.decided


class InfoEvent(models.Model):
    """An info event for NGO groups (stage 1, outreach)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="info_events")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    organisations = models.ManyToManyField("accounts.Organisation", blank=True, related_name="+")

    personal_data: ClassVar = NoPersonalData(reason=_("Events and head counts, no names."))

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="funding_infoevent_ends_after_start")
        ]
        verbose_name = _("info event")
        verbose_name_plural = _("info events")

    def __str__(self) -> str:
        return self.title


class Idea(TimeStampedModel):
    """An NGO's project idea, presented before a call (stage 1)."""

    class Status(models.TextChoices):
        PRESENTED = "presented", _("Presented")
        INVITED = "invited", _("Invited to apply")
        NOT_TAKEN = "not_taken", _("Not taken forward")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="ideas")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("the idea in short"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PRESENTED)
    invited_to = models.ForeignKey(
        "Call", on_delete=models.SET_NULL, null=True, blank=True, related_name="invited_ideas"
    )
    presented_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    personal_data: ClassVar = PersonalData(
        subject="presented_by",
        fields=("presented_by",),
        purpose=_("You presented a project idea for your organisation; the funders give advice on it."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project idea")
        verbose_name_plural = _("project ideas")

    def __str__(self) -> str:
        return self.title


class Advice(models.Model):
    """One entry of the advice log of an idea, visible to the NGO."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="advice")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("advice"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    personal_data: ClassVar = PersonalData(
        subject="author",
        fields=("author", "text"),
        purpose=_("Advice you gave on a project idea as a funder's officer."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("advice")
        verbose_name_plural = _("advice")

    def __str__(self) -> str:
        return f"{self.idea}: {self.created_at:%d.%m.%Y}"
