"""External instruments (Kykyviisari, AVAIN): that one was done, when, and where its result is kept."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osallisuus.core import events

from ..models import ExternalAssessment, Instrument
from .errors import MeasurementError

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User


@transaction.atomic
def external_assessment_record(
    *,
    actor: User,
    instrument: Instrument,
    person: User,
    organisation: Organisation,
    done_on: date,
    result_location: str,
) -> ExternalAssessment:
    """Record that an external instrument was done for a person. The result itself stays in its
    owner's service; only where it is kept is written here."""
    if instrument.kind != Instrument.Kind.EXTERNAL:
        raise MeasurementError(_("Only external instruments are recorded this way."), field="instrument")
    if done_on > timezone.localdate():
        raise MeasurementError(_("The date cannot be in the future."), field="done_on")
    record = ExternalAssessment(
        instrument=instrument,
        person=person,
        organisation=organisation,
        done_on=done_on,
        result_location=result_location.strip(),
        recorded_by=actor,
    )
    try:
        record.full_clean()
    except ValidationError as exc:
        raise MeasurementError(" ".join(exc.messages)) from None
    record.save()
    events.record(actor=actor, verb="measurement.external_assessment.recorded", target=record, subject=person)
    return record
