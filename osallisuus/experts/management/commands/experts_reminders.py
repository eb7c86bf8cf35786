"""Queue the day-before reminders of agreed tasks (run hourly from cron or a systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from osallisuus.experts.tasks import reminders_send


class Command(BaseCommand):
    help = "Queue the day-before reminders for the expert, the orderer and the professional partner."

    def handle(self, *args: Any, **options: Any) -> None:
        result = reminders_send.enqueue()
        self.stdout.write(f"Queued reminders ({result.id}).")
