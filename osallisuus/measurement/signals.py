"""After ``migrate``: import the instruments we ship ourselves (osallisuus/measurement/instruments/).

Idempotent: an instrument version already imported with the same content is left as it
is, so running ``migrate`` again changes nothing. Another owner's instrument is never
shipped here; an organisation imports it from its owner's file (docs/measurement.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .services import instrument_import

INSTRUMENT_DIR = Path(__file__).resolve().parent / "instruments"


def shipped_instrument_files() -> list[Path]:
    return sorted(INSTRUMENT_DIR.glob("*.json"))


def import_shipped_instruments(**kwargs: Any) -> None:
    using = kwargs.get("using", "default")
    if using != "default":
        return
    for path in shipped_instrument_files():
        instrument_import(raw=path.read_bytes(), actor=None)
