"""``manage.py run_worker``: the background worker (``db_worker``) with an id that names this
host and process, after marking the tasks of killed workers as failed (``core.workers``)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from osallisuus.core import workers


class Command(BaseCommand):
    help = "Run the background worker; first mark the tasks of killed workers as failed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--batch", action="store_true", help="Exit when there are no more tasks.")

    def handle(self, *args: Any, **options: Any) -> None:
        lost = workers.reap_lost_tasks()
        if lost:
            self.stderr.write(f"{lost} task(s) of a stopped worker marked failed; they are not run again.")
        db_options: dict[str, Any] = {
            "worker_id": workers.worker_id(),
            "startup_delay": False,
            "queue_name": options["queue_name"],
        }
        if options["max_tasks"]:
            db_options["max_tasks"] = options["max_tasks"]
        if options["batch"]:
            db_options["batch"] = True
        call_command("db_worker", verbosity=options["verbosity"], **db_options)
