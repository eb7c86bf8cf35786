from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from osallisuus.accounts.demo import PEOPLE
from osallisuus.accounts.models import User
from osallisuus.core import demo


class Command(BaseCommand):
    help = "Load the deterministic Finnish demo data (organisations, one user per role, module data)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when users already exist.")
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply the bulk rows (experts, requests, participants, answers) for load tests, e.g. 10.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Demo data already loaded.")
                ctx = demo.DemoContext()
                ctx.logins = [(p.role_label, p.email, p.note) for p in PEOPLE]
                self._print_logins(ctx, options)
                return
            raise CommandError("The database already has users; run on an empty database (or use --if-empty).")
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive.")
        with transaction.atomic():
            ctx = demo.load_all(demo.DemoContext(scale=options["scale"]))
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {len(ctx.users)} users."))
        self._print_logins(ctx, options)

    def _print_logins(self, ctx: demo.DemoContext, options: dict[str, Any]) -> None:
        if options["quiet_logins"]:
            return
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}):")
        for role, email, note in ctx.logins:
            self.stdout.write(f"  {role:<42} {email}{'  ' + note if note else ''}")
        self.stdout.write(
            "\nStaff roles also ask for a one-time code. In the demo, print the current code with:\n"
            "  OSALLISUUS_DEMO=1 .venv/bin/python manage.py demo_totp <e-mail>\n"
        )
