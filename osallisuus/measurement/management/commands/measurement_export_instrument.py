from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from osallisuus.measurement import services
from osallisuus.measurement.models import Instrument


class Command(BaseCommand):
    help = "Write an instrument version as a file that imports back unchanged."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("code")
        parser.add_argument("version")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        instrument = Instrument.objects.filter(code=options["code"], version=options["version"]).first()
        if instrument is None:
            raise CommandError("No such instrument version.")
        data = services.instrument_export(instrument=instrument)
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(data)
        else:
            sys.stdout.buffer.write(data)
