"""Supervision, check-ins and peer events."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData

from .registry import Expert


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
    title = models.CharField(pgettext_lazy("the title of an event", "title"), max_length=200)
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
