"""Background tasks of the experts module (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def reminders_send() -> int:
    """The day-before reminders: queued every 15 minutes by ``run_schedule`` (or the ``experts_reminders`` command)."""
    return services.send_reminders()
