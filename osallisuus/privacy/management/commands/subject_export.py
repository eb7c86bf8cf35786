"""Print everything the register holds about one person as JSON (GDPR art. 15 and 20).

    manage.py subject_export aino.makinen@demo.osallisuus.fi > aino.json
    manage.py subject_export aino.makinen@demo.osallisuus.fi --output aino.json

The export is written to the access log (action "export", no actor: the command line).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from osallisuus.privacy import services

from ._subject import subject_by_email


class Command(BaseCommand):
    help = "Export one person's personal data as JSON (data-subject request)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The person's e-mail address.")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        subject = subject_by_email(options["email"])
        data = services.subject_export(
            subject=subject, actor=None, purpose="data-subject request: export (command line)", route="manage.py"
        )
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
        if options.get("output"):
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Wrote {options['output']}")
        else:
            self.stdout.write(text)
