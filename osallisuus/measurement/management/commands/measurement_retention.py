from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from osallisuus.measurement.tasks import reminders_run, retention_run


class Command(BaseCommand):
    help = "Queue the daily measurement jobs: retention (delete or anonymise) and reminders. Run from cron."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-reminders", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        retention_run.enqueue()
        if not options["no_reminders"]:
            reminders_run.enqueue()
        self.stdout.write("Measurement jobs queued.")
