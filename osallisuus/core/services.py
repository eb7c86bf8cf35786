"""Writes for the core: feedback and background-job progress."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import events
from .models import Feedback, JobProgress

if TYPE_CHECKING:
    from django.core.files.base import File

    from osallisuus.accounts.models import User


@transaction.atomic
def feedback_create(*, sender: User | None, topic: str, message: str, page_url: str = "", email: str = "") -> Feedback:
    fb = Feedback(sender=sender, topic=topic, message=message.strip(), page_url=page_url, email=email)
    fb.full_clean()
    fb.save()
    return fb


@transaction.atomic
def feedback_mark_handled(*, feedback: Feedback, actor: User) -> Feedback:
    """Mark feedback handled. Marking it twice changes nothing and records nothing new."""
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.handled:
        return feedback
    feedback.handled = True
    feedback.save(update_fields=["handled", "updated_at"])
    events.record(actor=actor, verb="core.feedback.handled", target=feedback, subject=feedback.sender)
    return feedback


def job_create(*, owner: User, kind: str, label: str, total: int = 0) -> JobProgress:
    job = JobProgress(owner=owner, kind=kind, label=label, total=total)
    job.full_clean()
    job.save()
    return job


def job_started(*, job_id: uuid.UUID | str, total: int | None = None) -> None:
    fields: dict[str, object] = {"status": JobProgress.Status.RUNNING, "updated_at": timezone.now()}
    if total is not None:
        fields["total"] = total
    JobProgress.objects.filter(pk=job_id).update(**fields)


def job_advance(*, job_id: uuid.UUID | str, by: int = 1, message: str = "") -> None:
    fields: dict[str, object] = {"done": F("done") + by, "updated_at": timezone.now()}
    if message:
        fields["message"] = message[:300]
    JobProgress.objects.filter(pk=job_id).update(**fields)


def job_finish(*, job_id: uuid.UUID | str, file: File | None = None, filename: str = "", message: str = "") -> None:
    job = JobProgress.objects.get(pk=job_id)
    if file is not None:
        job.result_file.save(filename, file, save=False)
        job.result_name = filename
    job.status = JobProgress.Status.DONE
    job.done = max(job.done, job.total)
    job.message = message[:300]
    job.finished_at = timezone.now()
    job.save()


def job_fail(*, job_id: uuid.UUID | str, message: str) -> None:
    JobProgress.objects.filter(pk=job_id).update(
        status=JobProgress.Status.FAILED, message=message[:300], finished_at=timezone.now(), updated_at=timezone.now()
    )
