"""Helpers for the measurement tests: rounds and answers built through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from osallisuus.measurement import services
from osallisuus.measurement.models import Instrument, Round


def instrument(code: str = "demo-belonging") -> Instrument:
    return Instrument.objects.get(code=code)


def make_round(
    *,
    organisation: Any,
    code: str = "demo-belonging",
    group_key: str = "cohort-a",
    phase: int = 0,
    actor: Any = None,
    name: str = "",
    min_cell_size: int = 5,
    **extra: Any,
) -> Round:
    now = timezone.now()
    return services.round_create(
        actor=actor,
        instrument=instrument(code),
        organisation=organisation,
        name=name or f"{group_key} {phase}",
        group_key=group_key,
        phase=phase,
        purpose="We ask so that we can see how the group is doing.",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
        retention_until=(now + dt.timedelta(days=365)).date(),
        min_cell_size=min_cell_size,
        **extra,
    )


def answer_all(*, round: Round, person: Any, value: int = 4) -> Any:
    """Invite, open and send with every choice item at ``value``."""
    services.round_invite(actor=None, round=round, people=[person])
    invitation = round.invitations.get(person=person)
    token = services.invitation_issue_link(invitation=invitation)
    response = services.link_open(token=token)
    values = {i.code: value for i in round.instrument.items.all() if i.kind == "choice"}
    services.response_save(response=response, values=values)
    return services.response_submit(response=response)
