"""Erase one person's personal data (GDPR art. 17), or show what would happen.

    manage.py subject_erase aino.makinen@demo.osallisuus.fi --dry-run
    manage.py subject_erase aino.makinen@demo.osallisuus.fi            (asks to confirm)
    manage.py subject_erase aino.makinen@demo.osallisuus.fi --no-input

The access log and the change events are kept (append-only, client data act 703/2023).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from osallisuus.privacy import services

from ._subject import subject_by_email


class Command(BaseCommand):
    help = "Erase one person's personal data; --dry-run shows the plan and changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The person's e-mail address.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen; change nothing.")
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive", help="Do not ask to confirm."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        subject = subject_by_email(options["email"])
        plan = services.subject_erasure_plan(subject=subject)
        self._print_plan(plan)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed.")
            return
        if options["interactive"]:
            answer = input(f"Erase the data of account {subject.pk}? Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Cancelled: nothing was changed.")
        try:
            services.subject_erase(subject=subject, actor=None)
        except services.ErasureRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Erased account {subject.pk}. Retained rows are listed above."))

    def _print_plan(self, plan: services.ErasurePlan) -> None:
        if plan.already_erased:
            self.stdout.write("This account has already been erased.")
        for item in plan.items:
            if not item.rows:
                continue
            line = f"{item.label:<40} {item.relation:<12} {item.rows:>6}  {item.action.value}"
            if item.action == services.Erasure.RETAIN and item.retention:
                line += f"  ({item.retention})"
            self.stdout.write(line)
