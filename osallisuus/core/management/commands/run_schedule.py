"""Queue the periodic jobs when they are due (see ``osallisuus.core.schedule``)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from osallisuus.core import schedule


class Command(BaseCommand):
    help = "Queue periodic jobs (reminders, retention) when they are due; the db_worker runs them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and stop (for cron or a timer).")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between checks (default 60).")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = ", ".join(f"{p.name} every {p.every}" for p in schedule.registered())
        self.stdout.write(f"Periodic jobs: {jobs}")
        while True:
            close_old_connections()
            for name in schedule.run_due():
                self.stdout.write(f"Queued {name}")
            if options["once"]:
                return
            time.sleep(max(1, options["interval"]))
