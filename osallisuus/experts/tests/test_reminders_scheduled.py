"""The day-before reminder reaches people through the scheduler and the real worker, once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from osallisuus.core.models import Notification
from osallisuus.experts import services

from .factories import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_tasks(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    monkeypatch.setattr("osallisuus.core.management.commands.run_schedule.close_old_connections", lambda: None)


def test_agreed_task_tomorrow__scheduler_and_worker_remind_expert_orderer_and_partner_once(personas, database_tasks):
    world = build_world(personas)
    request = world.request(starts_in=dt.timedelta(hours=20))
    offer = services.offer_make(actor=personas.coordinator, request=request, experts=[world.eero])[0]
    services.offer_accept(actor=personas.expert, offer=offer)
    Notification.objects.all().delete()

    for _ in range(2):  # the scheduler checks twice (say, a restart): the reminder goes once
        call_command("run_schedule", "--once", stdout=io.StringIO())
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    reminders = Notification.objects.filter(message__contains=request.title)
    assert sorted(reminders.values_list("user_id", flat=True)) == sorted(
        [personas.expert.pk, personas.orderer.pk, personas.partner_worker.pk]
    )
