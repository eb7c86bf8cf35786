"""Groups."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData

from .applications import Application
from .frame import Programme


class Group(TimeStampedModel):
    """The programme's steering group (convened by the city), or one project's own group."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering group")
        PROJECT = "project", _("Project group")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="groups")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, null=True, blank=True, related_name="groups")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)

    personal_data: ClassVar = NoPersonalData(reason=_("A group of organisations; members are in their own table."))

    class Meta:
        ordering = ["programme", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"], condition=Q(kind="steering"), name="funding_one_steering_group_per_programme"
            ),
            models.CheckConstraint(
                condition=Q(kind="steering", application__isnull=True) | Q(kind="project", application__isnull=False),
                name="funding_group_kind_matches_project",
            ),
        ]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funding_groups")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=100, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="user",
        fields=("user", "role"),
        purpose=_("You are a member of a funding programme's steering group or a project group."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="funding_groupmember_once")]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self) -> str:
        return f"{self.group_id}: {self.user_id}"


class GroupMeeting(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    personal_data: ClassVar = NoPersonalData(reason=_("Meetings of organisations; the minutes are the group's record."))

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="funding_groupmeeting_ends_after_start"
            )
        ]
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")

    def __str__(self) -> str:
        return f"{self.group}: {self.starts_at:%d.%m.%Y}"


class GroupDecision(models.Model):
    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    application = models.ForeignKey(Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    personal_data: ClassVar = NoPersonalData(reason=_("A decision a group recorded."))

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("group decision")
        verbose_name_plural = _("group decisions")

    def __str__(self) -> str:
        return self.text[:60]
