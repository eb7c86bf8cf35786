from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .db import AppendOnlyModel, TimeStampedModel
from .personal_data import Erasure, NoPersonalData, PersonalData

LOG_RETENTION = _("Kept under the client data act (703/2023): a person has the right to know who has seen their data.")


class AccessLogEntry(AppendOnlyModel):
    """One read of a person's personal data: who, whose, what, when and why.

    Written only by the gate selectors (``osallisuus.core.access``). Never contains the
    data itself. Actor and subject are kept as plain ids without a database constraint
    so that the log outlives an erased account and is never rewritten.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        LIST = "list", _("listed")
        EXPORT = "export", _("exported")
        DOWNLOAD = "download", _("downloaded")
        PRINT = "print", _("printed")

    id = models.BigAutoField(primary_key=True)
    # No single-column indexes: (subject, -occurred_at) and (actor, -occurred_at) below serve
    # every lookup, and on PostgreSQL the monthly partitions (core.partitions) narrow by time.
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        null=True,
    )
    actor_label = models.CharField(_("who (at the time)"), max_length=200, blank=True)
    actor_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("whose data"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    object_type = models.CharField(_("what"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    purpose = models.CharField(_("purpose"), max_length=200)
    route = models.CharField(_("where"), max_length=200, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="subject",
        fields=("actor_label", "actor_organisation"),
        purpose=_("Client data act 703/2023: log of every read of a person's data."),
        erasure=Erasure.RETAIN,
        retention=LOG_RETENTION,
        extra_subjects=("actor",),
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["subject", "-occurred_at"], name="accesslog_subject_idx"),
            models.Index(fields=["actor", "-occurred_at"], name="accesslog_actor_idx"),
        ]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"


class ChangeEvent(AppendOnlyModel):
    """An explicit record written by a service when it changes something that matters."""

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
    )
    actor_label = models.CharField(max_length=200, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
    )
    verb = models.CharField(_("event"), max_length=100, db_index=True)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    data = models.JSONField(default=dict, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="subject",
        fields=("actor_label",),
        purpose=_("Audit trail of changes made by services."),
        erasure=Erasure.RETAIN,
        retention=_("Audit trail kept with the access log (client data act 703/2023)."),
        extra_subjects=("actor",),
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("change event")
        verbose_name_plural = _("change events")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.verb} {self.target_type}:{self.target_id}"


class JobProgress(TimeStampedModel):
    """What a background job has done so far, shown to its owner by the progress fragment."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=100)
    label = models.CharField(_("job"), max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    result_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="owner",
        fields=("result_file", "result_name"),
        purpose=_("Show a person the progress and result of the jobs they started."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.label

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class Feedback(TimeStampedModel):
    """Feedback on accessibility or the service (accessibility act 306/2019 feedback channel)."""

    class Topic(models.TextChoices):
        ACCESSIBILITY = "accessibility", _("Accessibility")
        SERVICE = "service", _("Something else about the service")

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    message = models.TextField(_("message"), max_length=5000)
    page_url = models.CharField(_("page the feedback is about"), max_length=500, blank=True)
    email = models.EmailField(_("e-mail for a reply"), blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled = models.BooleanField(_("handled"), default=False)

    personal_data: ClassVar = PersonalData(
        subject="sender",
        fields=("message", "email", "page_url"),
        purpose=_("Accessibility act 306/2019: a channel for feedback and requests."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.created_at:%Y-%m-%d}"

    def clean(self) -> None:
        if not self.message.strip():
            raise ValidationError({"message": _("Write your feedback.")})


class Notification(models.Model):
    """A notice to one person, in their language: shown in the app (unread count in the header)
    and, if they want that kind by e-mail, sent as one (``core.notifications.notify``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=100)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("sent by e-mail"), null=True, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="user",
        fields=("kind", "subject", "message", "created_at", "read_at", "emailed_at"),
        purpose=_("Tell the person about their own work here."),
        erasure=Erasure.DELETE,
        retention=_("Read notices are removed after a period set by the administrator (180 days by default)."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="core_notification_unread_idx")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.message


class NotificationPreference(models.Model):
    """Whether the person wants one kind of notice by e-mail (the default is the kind's own)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=100)
    email = models.BooleanField(_("by e-mail"), default=True)

    personal_data: ClassVar = PersonalData(
        subject="user",
        fields=("kind", "email"),
        purpose=_("Send notices by e-mail only as the person wants."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="core_notification_pref_unique")]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.kind}: {self.email}"


__all__ = [
    "AccessLogEntry",
    "ChangeEvent",
    "Feedback",
    "IdempotencyKey",
    "JobProgress",
    "NoPersonalData",
    "Notification",
    "NotificationPreference",
    "TimeStampedModel",
]


class ScheduledRun(models.Model):
    """When a periodic job (``core.schedule``) was last queued: one row per job name."""

    name = models.CharField(_("job"), max_length=100, unique=True)
    last_queued_at = models.DateTimeField(_("last queued"))

    personal_data: ClassVar = NoPersonalData(reason=_("Job names and times only."))

    class Meta:
        verbose_name = _("scheduled job run")
        verbose_name_plural = _("scheduled job runs")

    def __str__(self) -> str:
        return self.name


class IdempotencyKey(models.Model):
    """One ``Idempotency-Key`` an API write was sent with, and the answer it got
    (``core.idempotency``): a repeat with the key gets that answer and writes nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.CharField(_("API endpoint"), max_length=300)
    key = models.CharField(_("key sent by the client"), max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    response_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    personal_data: ClassVar = PersonalData(
        subject="user",
        fields=("response_body",),
        purpose=_("Answer a repeated API request with its first answer, so nothing is done twice."),
        erasure=Erasure.DELETE,
        retention=_("Removed after a day."),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "endpoint", "key"], name="core_idempotency_key_unique")]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"
