"""Background jobs with progress the user can watch.

A module defines a task with ``django_tasks.task`` whose first keyword argument is
``job_id``, and starts it with ``job_start``. The task reports with
``services.job_started / job_advance / job_finish / job_fail``; the page shows
``partials/progress.html`` (``core:job_progress``), which htmx refreshes every second
and which still works without JavaScript. The database backend runs tasks in the
``db_worker`` process (``manage.py db_worker``), which the demo starts.

    @task()
    def export_people(*, job_id: str, organisation_id: int) -> None:
        services.job_started(job_id=job_id, total=n)
        ...
        services.job_finish(job_id=job_id, file=ContentFile(data), filename="people.csv")

    job = job_start(owner=user, kind="people.export", label=_("People export"),
                    task=export_people, organisation_id=org.pk)
    return redirect("core:job_progress", job.pk)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from . import services
from .models import JobProgress

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


def job_start(*, owner: User, kind: str, label: str, task: Any, total: int = 0, **task_kwargs: Any) -> JobProgress:
    """Create the progress record and enqueue the task once the transaction commits."""
    job = services.job_create(owner=owner, kind=kind, label=str(label), total=total)

    def _enqueue() -> None:
        result = task.enqueue(job_id=str(job.pk), **task_kwargs)
        JobProgress.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(_enqueue)
    return job
