"""Fee schedules: an administrator copies an example table for an organisation."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from osallisuus.core import events

from ..models import FeeSchedule

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User


@transaction.atomic
def fee_schedule_copy(
    *, example: FeeSchedule, organisation: Organisation, valid_from: dt.date, actor: User | None = None
) -> FeeSchedule:
    """Copy an example table (Kokoa 2018, KAP Vantaa) for an organisation, from a date on."""
    copy = FeeSchedule(
        organisation=organisation,
        name=example.name,
        valid_from=valid_from,
        source=example.source,
        is_example=False,
        free_cancellation_hours=example.free_cancellation_hours,
        fee_due_on_no_show=example.fee_due_on_no_show,
        travel_per_km=example.travel_per_km,
        max_km_per_task=example.max_km_per_task,
    )
    copy.full_clean()
    copy.save()
    for item in example.items.prefetch_related("task_types"):
        types = list(item.task_types.all())
        item.pk = None
        item.schedule = copy
        item.save()
        item.task_types.set(types)
    events.record(actor=actor, verb="experts.fee_schedule.copied", target=copy)
    return copy
