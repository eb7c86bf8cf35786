"""A task whose worker was killed is marked failed with its progress kept, and never run again;
a task whose worker is alive, or that is still young on another host, is left alone."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from django.utils import timezone
from django.utils.translation import override
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from osallisuus.accounts.models import User
from osallisuus.core import schedule, workers
from osallisuus.core.models import JobProgress

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _running(worker: str, *, started: dt.datetime | None = None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="osallisuus.core.tests.drill_tasks.slow_steps",
        worker_ids=[worker],
        backend_name="default",
        queue_name="default",
        run_after=timezone.now(),
        started_at=started or timezone.now(),
        exception_class_path="",
        traceback="",
    )


def _job(result: DBTaskResult, *, done: int, total: int, language: str = "fi") -> JobProgress:
    owner = User.objects.create_user(
        f"owner{result.pk.hex[:6]}@example.fi", "Right-password-2026", full_name="Omistaja"
    )
    owner.preferred_language = language
    owner.save()
    return JobProgress.objects.create(
        owner=owner,
        kind="drill",
        label="drill",
        status=JobProgress.Status.RUNNING,
        done=done,
        total=total,
        task_result_id=str(result.pk),
    )


def test_killed_worker_on_this_host__task_failed_progress_kept_in_owners_language() -> None:
    result = _running(f"{workers.this_host()}:{_dead_pid()}")
    job = _job(result, done=4, total=10)

    assert workers.reap_lost_tasks() == 1

    result.refresh_from_db()
    job.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path.endswith("WorkerLost")
    assert job.status == JobProgress.Status.FAILED
    assert (job.done, job.total) == (4, 10)
    assert "4 / 10" in job.message
    assert "Aloita tehtävä uudelleen" in job.message


def test_reaped_task__is_not_queued_again_and_a_second_reap_changes_nothing() -> None:
    result = _running(f"{workers.this_host()}:{_dead_pid()}")
    workers.reap_lost_tasks()
    assert workers.reap_lost_tasks() == 0
    assert not DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists()
    assert DBTaskResult.objects.get(pk=result.pk).status == TaskResultStatus.FAILED


def test_live_worker__task_left_running() -> None:
    import os

    result = _running(f"{workers.this_host()}:{os.getpid()}")
    job = _job(result, done=2, total=5)
    assert workers.reap_lost_tasks() == 0
    job.refresh_from_db()
    assert DBTaskResult.objects.get(pk=result.pk).status == TaskResultStatus.RUNNING
    assert job.status == JobProgress.Status.RUNNING


def test_other_host__failed_only_after_the_lost_after_time(settings) -> None:
    settings.TASK_LOST_AFTER_SECONDS = 3600
    young = _running("elsewhere:123", started=timezone.now() - dt.timedelta(minutes=30))
    old = _running("elsewhere:456", started=timezone.now() - dt.timedelta(hours=2))
    with override("sv"):
        _job(old, done=1, total=3, language="sv")
    assert workers.reap_lost_tasks() == 1
    assert DBTaskResult.objects.get(pk=young.pk).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=old.pk).status == TaskResultStatus.FAILED
    assert "Starta uppgiften igen" in JobProgress.objects.get(task_result_id=str(old.pk)).message


def test_reaper__runs_every_minute_from_the_scheduler() -> None:
    jobs = {job.name: job for job in schedule.registered()}
    assert jobs["core.lost_tasks"].every == dt.timedelta(minutes=1)
