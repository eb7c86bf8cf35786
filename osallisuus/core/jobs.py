"""Background jobs with progress the user can watch.

A module writes its task with ``job_task`` (``django_tasks.task`` plus the progress
bookkeeping) and starts it with ``job_start``. The task's first keyword argument is
``job_id``; it reports with ``services.job_started / job_advance / job_finish``. The page
shows ``partials/progress.html``, which htmx refreshes every second from
``core:job_progress`` while the job runs and which still works without JavaScript (a
refresh link). The owner downloads the result from ``core:job_download``; the API
answers ``GET /api/v1/jobs/{id}``. With the database backend the tasks run in the
``db_worker`` process (``manage.py run_worker``), which the demo starts.

    @job_task()
    def people_export(*, job_id: str, organisation_id: int) -> None:
        people = ...
        services.job_started(job_id=job_id, total=len(people))
        ...
        services.job_finish(job_id=job_id, file=ContentFile(csv_bytes(rows)), filename="people.csv")

    job = job_start(owner=user, kind="people.export", label=_("People export"),
                    task=people_export, organisation_id=org.pk)
    return redirect("core:job_progress", job.pk)

``osallisuus/core/tasks.py`` holds a complete example to copy. Task arguments are
stored as JSON: pass ids and plain values, never model instances or personal data.
If the task raises ``JobError``, its message is shown to the user as it is; any other
error shows a calm general message, is logged, and the worker records the traceback.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import services
from .models import JobProgress

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

logger = logging.getLogger(__name__)


class JobError(Exception):
    """A failure the user can understand and act on; the message is shown as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def job_start(*, owner: User, kind: str, label: str, task: Any, total: int = 0, **task_kwargs: Any) -> JobProgress:
    """Create the progress record and enqueue the task once the transaction commits."""
    job = services.job_create(owner=owner, kind=kind, label=str(label), total=total)

    def _enqueue() -> None:
        try:
            result = task.enqueue(job_id=str(job.pk), **task_kwargs)
        except Exception:
            # Without this the job would wait forever for a worker that never gets it.
            logger.exception("Background job %s (%s) could not be queued.", job.pk, kind)
            services.job_fail(job_id=job.pk, message=_("The job could not be started. Try again later."))
            raise
        JobProgress.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(_enqueue)
    return job


def job_get_for_owner(*, owner: User, job_id: object) -> JobProgress:
    """The gate for a job: its owner sees it; missing, malformed and others' jobs give the same 404."""
    try:
        pk = uuid.UUID(str(job_id))
    except ValueError:
        raise Http404 from None
    try:
        return JobProgress.objects.get(pk=pk, owner=owner)
    except JobProgress.DoesNotExist:
        raise Http404 from None


def job_task(**task_options: Any) -> Callable[[Callable[..., None]], Any]:
    """``django_tasks.task`` for a job with progress.

    Around the task body: mark the job running, speak the owner's language, and if
    the body fails, mark the job failed with a plain message. A body that returns
    without calling ``job_finish`` leaves a finished job without a file.
    """

    def decorate(func: Callable[..., None]) -> Any:
        @functools.wraps(func)
        def run(*, job_id: str, **kwargs: Any) -> None:
            job = JobProgress.objects.select_related("owner").filter(pk=job_id).first()
            if job is None:
                logger.warning("Background job %s no longer exists; nothing to do.", job_id)
                return
            language = getattr(job.owner, "preferred_language", "") or settings.LANGUAGE_CODE
            with translation.override(language):
                services.job_started(job_id=job_id)
                try:
                    func(job_id=job_id, **kwargs)
                except JobError as exc:
                    services.job_fail(job_id=job_id, message=exc.message)
                    raise
                except Exception:
                    logger.exception("Background job %s (%s) failed.", job_id, job.kind)
                    services.job_fail(
                        job_id=job_id,
                        message=_("The job could not be finished because of an error on our side. Try again later."),
                    )
                    raise
                finished = JobProgress.objects.filter(
                    pk=job_id, status__in=[JobProgress.Status.DONE, JobProgress.Status.FAILED]
                ).exists()
                if not finished:
                    services.job_finish(job_id=job_id)

        return task(**task_options)(run)

    return decorate


__all__ = ["JobError", "job_get_for_owner", "job_start", "job_task"]
