from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from osallisuus.measurement import services
from osallisuus.measurement.definition import DefinitionError


class Command(BaseCommand):
    help = "Import instrument files (format osallisuus.instrument/1). Nothing is imported from a file with problems."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        failed = False
        for path in options["files"]:
            try:
                result = services.instrument_import(raw=path.read_bytes(), actor=None)
            except OSError as exc:
                self.stderr.write(f"{path}: {exc.strerror}")
                failed = True
            except DefinitionError as exc:
                for problem in exc.problems:
                    self.stderr.write(f"{path}: {problem}")
                self.stderr.write(f"{path}: nothing imported.")
                failed = True
            except services.MeasurementError as exc:
                self.stderr.write(f"{path}: {exc.message}")
                failed = True
            else:
                word = "imported" if result.created else "already imported, unchanged"
                self.stdout.write(f"{path}: {result.instrument.code} {result.instrument.version} {word}")
        if failed:
            raise CommandError("Some files were not imported.")
