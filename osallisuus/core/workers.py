"""The background worker, and what happens to a job when its worker is killed mid-job.

The worker runs as ``manage.py run_worker``: ``db_worker`` with a worker id that names this
host and process (``host:pid``). A worker that is killed (out of memory, SIGKILL, the machine
going away) cannot mark its task finished, so the task would stay "running" for ever and its
owner would watch a progress bar that never moves. ``reap_lost_tasks`` finds such tasks:

* on this host, a running task whose worker process no longer exists;
* on any host, a running task started more than ``TASK_LOST_AFTER_SECONDS`` ago.

It marks each one failed, never queues it again, and fails its progress record with a plain
message that keeps what was done (``done`` of ``total``). So a job is either done once or
failed with its progress; it is never done twice. A person starts it again when they want to.
The reaper runs when a worker starts and every minute from the scheduler (``core.lost_tasks``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import JobProgress

logger = logging.getLogger(__name__)

LOST_MESSAGE = gettext_noop(
    "The job stopped because the background worker was interrupted, after %(done)s of %(total)s steps. "
    "Nothing was done twice. Start it again."
)


class WorkerLost(Exception):
    """Recorded as the exception of a task whose worker stopped while running it."""


def this_host() -> str:
    return socket.gethostname()[:40]


def worker_id() -> str:
    """The id of this worker process: ``host:pid`` (db_worker allows up to 64 characters)."""
    return f"{this_host()}:{os.getpid()}"


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def _is_lost(result: DBTaskResult, *, host: str, stale_before: dt.datetime) -> bool:
    last = result.worker_ids[-1] if result.worker_ids else ""
    worker_host, _sep, pid = str(last).rpartition(":")
    if worker_host == host and pid.isdigit():
        return not _process_exists(int(pid)) or (result.started_at is not None and result.started_at < stale_before)
    return result.started_at is not None and result.started_at < stale_before


def reap_lost_tasks(*, now: dt.datetime | None = None) -> int:
    """Mark the running tasks whose worker is gone as failed, with their progress kept. Returns how many."""
    now = now or timezone.now()
    stale_before = now - dt.timedelta(seconds=settings.TASK_LOST_AFTER_SECONDS)
    host = this_host()
    lost = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids", "started_at")
    for result in running:
        if not _is_lost(result, host=host, stale_before=stale_before):
            continue
        with transaction.atomic():
            marked = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"The worker {result.worker_ids[-1] if result.worker_ids else '?'} stopped while running "
                f"this task (started {result.started_at:%Y-%m-%d %H:%M:%S %Z}); it is not run again.",
            )
            if not marked:  # finished or reaped by someone else meanwhile
                continue
            jobs = JobProgress.objects.select_related("owner").filter(
                task_result_id=str(result.pk), status__in=[JobProgress.Status.QUEUED, JobProgress.Status.RUNNING]
            )
            for job in jobs:
                with translation.override(getattr(job.owner, "preferred_language", "") or settings.LANGUAGE_CODE):
                    message = gettext(LOST_MESSAGE) % {"done": job.done, "total": job.total or "?"}
                JobProgress.objects.filter(pk=job.pk).update(
                    status=JobProgress.Status.FAILED, message=message[:300], finished_at=now, updated_at=now
                )
        lost += 1
        logger.warning("Task %s was lost with its worker %s; marked failed.", result.pk, result.worker_ids)
    return lost


@task()
def lost_tasks_reap() -> int:
    """The scheduler's every-minute run of ``reap_lost_tasks``."""
    return reap_lost_tasks()
