"""Instruments as data: imported from their owner's file and locked; exported in the same form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from osallisuus.core import events

from .. import definition as fmt
from .. import scoring
from ..models import Instrument, Item
from .errors import InstrumentVersionConflict, MeasurementError

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


@dataclass(frozen=True)
class ImportResult:
    instrument: Instrument
    created: bool


@transaction.atomic
def instrument_import(*, raw: bytes | str, actor: User | None) -> ImportResult:
    """Import one instrument file. Nothing is saved when the file has any problem.

    The same version again with the same content answers ``created=False``; the same
    version with different content is refused (a new version needs a new version number).
    """
    definition = fmt.parse(raw)
    fingerprint = fmt.fingerprint(definition)
    existing = (
        Instrument.objects.select_for_update().filter(code=definition["code"], version=definition["version"]).first()
    )
    if existing is not None:
        if existing.source_sha256 == fingerprint:
            return ImportResult(existing, False)
        raise InstrumentVersionConflict(
            _(
                "Version %(version)s of the instrument %(code)s has already been imported with different content. "
                "An imported instrument is locked: give the changed file a new version number."
            )
            % {"version": definition["version"], "code": definition["code"]},
            field="file",
        )
    score_min = score_max = None
    if definition["scoring"]["method"] != "none":
        low, high = fmt.score_range(definition)
        score_min, score_max = scoring.to_decimal(low, 4), scoring.to_decimal(high, 4)
    instrument = Instrument(
        code=definition["code"],
        version=definition["version"],
        kind=definition["kind"],
        name=definition["name"],
        owner=definition["owner"],
        licence=definition["licence"],
        attribution=definition["attribution"],
        instructions=definition["instructions"],
        purpose=definition["purpose"],
        languages=definition["languages"],
        url=definition["url"],
        is_validated_scale=definition["validated_scale"],
        is_demo=definition["demo"],
        group_reporting_only=definition["group_reporting_only"],
        allow_sharing_with_worker=definition["allow_sharing_with_worker"],
        scoring=definition["scoring"]["method"],
        transform=definition["scoring"]["transform"],
        score_min=score_min,
        score_max=score_max,
        bands=definition["bands"],
        scales=definition["scales"],
        definition=definition,
        source_sha256=fingerprint,
    )
    instrument.full_clean()
    instrument.save()
    Item.objects.bulk_create(
        Item(
            instrument=instrument,
            code=item["code"],
            order=position,
            kind=item["kind"],
            text=item["text"],
            help=item["help"],
            scale=item["scale"],
            required=item["required"],
            reverse=item["reverse"],
            scored=item["scored"],
        )
        for position, item in enumerate(definition["items"], start=1)
    )
    events.record(
        actor=actor, verb="measurement.instrument.imported", target=instrument, data={"code": instrument.code}
    )
    return ImportResult(instrument, True)


def instrument_export(*, instrument: Instrument) -> bytes:
    """The instrument file: the canonical definition that was imported, keys in the format's order
    (PostgreSQL's jsonb does not keep key order, so the stored definition is put in order again)."""
    return fmt.canonical_bytes(fmt.parse(json.dumps(instrument.definition, ensure_ascii=False)))


def instrument_newest(*, code: str) -> Instrument:
    instrument = Instrument.objects.filter(code=code, is_active=True).order_by("-created_at", "-pk").first()
    if instrument is None:
        raise MeasurementError(_("There is no instrument with the code %(code)s.") % {"code": code})
    return instrument
