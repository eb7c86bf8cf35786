"""Background tasks of the experts module (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def reminders_send() -> int:
    """The day-before reminders: run hourly by the ``experts_reminders`` command (cron or a timer)."""
    return services.send_reminders()
