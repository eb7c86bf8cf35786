"""Periodic background jobs: the day-before reminders, retention runs and the like.

A module registers a ``django_tasks`` task (without arguments) with how often it runs,
usually in its ``AppConfig.ready``:

    from osallisuus.core import schedule
    schedule.register("experts.reminders", "osallisuus.experts.tasks.reminders_send",
                      every=dt.timedelta(minutes=15))

``manage.py run_schedule`` (started by the demo next to ``db_worker``; in production a
service of its own, like the worker) queues each job when it is due; the worker runs it.
The time a job was last queued is kept in the database (``ScheduledRun``), and the row is
locked while deciding, so a restart does not queue everything again and two schedulers
never queue the same run twice. The tasks themselves are safe to run twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    task_path: str
    every: dt.timedelta


_registry: dict[str, Periodic] = {}


def register(name: str, task_path: str, *, every: dt.timedelta) -> None:
    if every < dt.timedelta(minutes=1):
        raise ValueError("A periodic job runs at most once a minute.")
    _registry[name] = Periodic(name=name, task_path=task_path, every=every)


def registered() -> list[Periodic]:
    return sorted(_registry.values(), key=lambda p: p.name)


def _claim(job: Periodic, now: dt.datetime) -> bool:
    """True if this caller may queue ``job`` now (and records it); False if it is not due."""
    with transaction.atomic():
        row = ScheduledRun.objects.select_for_update().filter(name=job.name).first()
        if row is None:
            try:
                with transaction.atomic():
                    ScheduledRun.objects.create(name=job.name, last_queued_at=now)
            except IntegrityError:  # another scheduler created it first: it queues this run
                return False
            return True
        if row.last_queued_at + job.every > now:
            return False
        row.last_queued_at = now
        row.save(update_fields=["last_queued_at"])
        return True


def run_due(*, now: dt.datetime | None = None) -> list[str]:
    """Queue every registered job that is due; returns the names queued."""
    now = now or timezone.now()
    queued = []
    for job in registered():
        if not _claim(job, now):
            continue
        import_string(job.task_path).enqueue()
        logger.info("Queued periodic job %s", job.name)
        queued.append(job.name)
    return queued
