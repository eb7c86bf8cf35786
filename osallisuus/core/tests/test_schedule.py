"""Periodic jobs: queued when due, once per interval, whatever restarts; the worker runs them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from osallisuus.core import schedule
from osallisuus.core.models import ScheduledRun

pytestmark = pytest.mark.django_db

RUNS: list[str] = []


@task()
def tick() -> None:
    RUNS.append("tick")


@pytest.fixture
def only_tick(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(schedule, "_registry", {})
    # Both long-running commands recycle connections; inside a test transaction that would close it.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    monkeypatch.setattr("osallisuus.core.management.commands.run_schedule.close_old_connections", lambda: None)
    schedule.register("test.tick", f"{__name__}.tick", every=dt.timedelta(hours=1))
    RUNS.clear()


def queued() -> int:
    return DBTaskResult.objects.filter(task_path=f"{__name__}.tick").count()


def test_run_due__queues_a_job_once_per_interval(only_tick):
    now = timezone.now()
    assert schedule.run_due(now=now) == ["test.tick"]
    assert schedule.run_due(now=now + dt.timedelta(minutes=59)) == []
    assert queued() == 1
    assert schedule.run_due(now=now + dt.timedelta(minutes=60)) == ["test.tick"]
    assert queued() == 2
    assert ScheduledRun.objects.get(name="test.tick").last_queued_at == now + dt.timedelta(minutes=60)


def test_run_schedule_command__once__queues_and_the_worker_runs_the_job(only_tick):
    out = io.StringIO()
    call_command("run_schedule", "--once", stdout=out)
    assert "Queued test.tick" in out.getvalue()
    # A second scheduler started right after (a restart) queues nothing more.
    call_command("run_schedule", "--once", stdout=io.StringIO())
    assert queued() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert RUNS == ["tick"]
    assert DBTaskResult.objects.get(task_path=f"{__name__}.tick").status == "SUCCESSFUL"


def test_register__refuses_more_often_than_once_a_minute():
    with pytest.raises(ValueError, match="at most once a minute"):
        schedule.register("test.too_often", f"{__name__}.tick", every=dt.timedelta(seconds=10))


def test_the_modules_register_their_periodic_jobs():
    names = {p.name for p in schedule.registered()}
    assert {"experts.reminders", "measurement.retention", "measurement.reminders"} <= names
