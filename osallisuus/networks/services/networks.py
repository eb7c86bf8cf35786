"""Networks."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.core import events

from .. import permissions
from ..models import (
    Goal,
    Network,
    NetworkMembership,
    Role,
    RotationEntry,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User
from .base import CLOSING_NOTICE_DAYS, NetworkRefusal, _check_decision, _coordinate

# -- networks -------------------------------------------------------------------------------------
NETWORK_FIELDS = ("name", "purpose", "type", "lifecycle", "legal_basis", "goal", "ends_on", "visibility")


def _check_network(network: Network) -> None:
    if network.lifecycle == "project" and not network.ends_on:
        raise NetworkRefusal(_("A project network needs an end date."), field="ends_on", code="end_needed")
    if network.lifecycle == "project" and not network.goal.strip():
        raise NetworkRefusal(_("A project network needs a goal."), field="goal", code="goal_needed")
    network.full_clean()


@transaction.atomic
def network_create(
    *, actor: User, organisation: Organisation, data: dict[str, Any], owners: list[Organisation] | None = None
) -> Network:
    _check_decision(permissions.can_start_network(actor))
    network = Network(**{k: data[k] for k in NETWORK_FIELDS if k in data})
    network.legal_basis = network.legal_basis or ""
    network.goal = network.goal or ""
    _check_network(network)
    network.save()
    all_owners = list(dict.fromkeys([organisation, *(owners or [])]))
    network.owners.set(all_owners)
    for position, org in enumerate(all_owners):
        RotationEntry.objects.create(network=network, organisation=org, position=position)
    NetworkMembership.objects.create(
        network=network,
        user=actor,
        name=actor.full_name,
        email=actor.email,
        phone=getattr(actor, "phone", ""),
        organisation=organisation,
        role=Role.GUIDE,
        is_coordinator=True,
        joined_on=timezone.localdate(),
    )
    permissions.forget(actor)
    events.record(actor=actor, verb="networks.network.create", target=network)
    return network


@transaction.atomic
def network_update(*, actor: User, network: Network, data: dict[str, Any]) -> Network:
    _coordinate(actor, network)
    for key in NETWORK_FIELDS:
        if key in data:
            setattr(network, key, data[key] if data[key] is not None or key == "ends_on" else "")
    _check_network(network)
    network.save()
    events.record(actor=actor, verb="networks.network.update", target=network, data={"fields": sorted(data)})
    return network


def closing_due(network: Network, *, today: dt.date | None = None) -> bool:
    """Should the coordinator be asked whether to close this project network: its end is near or
    past, or every goal it has is reached."""
    if network.lifecycle != "project" or network.is_closed:
        return False
    today = today or timezone.localdate()
    if network.ends_on and network.ends_on - dt.timedelta(days=CLOSING_NOTICE_DAYS) <= today:
        return True
    statuses = [g.status for g in network.goals.all() if g.status != Goal.Status.DROPPED]
    return bool(statuses) and all(s == Goal.Status.REACHED for s in statuses)


@transaction.atomic
def network_close(*, actor: User, network: Network, on: dt.date | None = None) -> Network:
    """Close a network: read only from now on, its history kept. A project network is closed only
    after its closing evaluation has been sent to the members (``evaluation.evaluation_start``)."""
    _coordinate(actor, network)
    if network.lifecycle == "project" and not network.evaluations.filter(closing=True).exists():
        raise NetworkRefusal(
            _("Send the closing evaluation to the members before closing the network."),
            field="closing",
            code="closing_evaluation_needed",
        )
    network.closed_on = on or timezone.localdate()
    network.save(update_fields=["closed_on", "updated_at"])
    events.record(actor=actor, verb="networks.network.close", target=network)
    return network
