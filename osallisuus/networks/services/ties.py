"""Ties."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import combinations
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.core import events
from osallisuus.core.errors import Conflict, Forbidden

from .. import permissions
from ..models import (
    Attendance,
    Network,
    NetworkMembership,
    Tie,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import User
from .base import TIE_WINDOW_DAYS, NetworkRefusal, _check_decision


# -- ties ------------------------------------------------------------------------------------------
@transaction.atomic
def tie_declare(
    *, actor: User, network: Network, target: NetworkMembership, reason: str, valid_from: dt.date | None = None
) -> Tie:
    """A member tells whom she works with, and why."""
    if network.is_closed:
        raise Conflict(_("The network has been closed. Its history can be read but not changed."), code="closed")
    _check_decision(permissions.can_take_part(actor, network))
    source = permissions.membership_of(actor, network)
    assert source is not None
    if target.pk == source.pk:
        raise NetworkRefusal(_("A tie is between two different members."), field="target", code="self")
    if target.network_id != network.pk or target.left_on is not None:
        raise NetworkRefusal(_("Choose a current member of this network."), field="target", code="not_member")
    if not reason.strip():
        raise NetworkRefusal(_("Tell briefly what you do together."), field="reason", code="required")
    valid_from = valid_from or timezone.localdate()
    if valid_from > timezone.localdate():
        raise NetworkRefusal(_("The date cannot be in the future."), field="valid_from", code="future")
    a, b = sorted((source.pk, target.pk))
    tie = Tie(
        network=network,
        a_id=a,
        b_id=b,
        source=Tie.Source.DECLARED,
        reason=reason.strip(),
        valid_from=valid_from,
        declared_by=source,
    )
    tie.full_clean()
    tie.save()
    return tie


@transaction.atomic
def tie_end(*, actor: User, tie: Tie, on: dt.date | None = None) -> Tie:
    """End a declared tie from today (or ``on``): one of its two members ends it; the history stays."""
    network = tie.network
    if network.is_closed:
        raise Conflict(_("The network has been closed. Its history can be read but not changed."), code="closed")
    source = permissions.membership_of(actor, network)
    if tie.source != Tie.Source.DECLARED or source is None or source.pk not in (tie.a_id, tie.b_id):
        raise Forbidden(_("Only the members of a declared tie can end it."))
    on = on or timezone.localdate()
    if tie.valid_to is not None and tie.valid_to <= on:
        raise NetworkRefusal(_("This tie has already ended."), code="ended")
    tie.valid_to = max(on, tie.valid_from + dt.timedelta(days=1))
    tie.save(update_fields=["valid_to"])
    events.record(actor=actor, verb="networks.tie.end", target=network)
    return tie


def meeting_ties(
    rows: list[tuple[int, dt.date]], *, left: dict[int, dt.date | None]
) -> list[tuple[int, int, dt.date, dt.date, int]]:
    """Ties from meetings attended together. ``rows`` are (meeting id, date, membership ids…)
    flattened into (meeting, date) per attendance; one tie per pair and run of meetings no more than
    a year apart, valid from the first to a year after the last (or until one of the two leaves),
    weighted by the number of meetings."""
    by_meeting: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
    for meeting_id, on, membership_id in rows:  # type: ignore[misc]
        by_meeting[(meeting_id, on)].append(membership_id)
    dates: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for (_meeting, on), members in by_meeting.items():
        for a, b in combinations(sorted(set(members)), 2):
            dates[(a, b)].append(on)
    window = dt.timedelta(days=TIE_WINDOW_DAYS)
    out = []
    for (a, b), days in dates.items():
        days.sort()
        run = [days[0]]
        for day in [*days[1:], None]:
            if day is not None and day - run[-1] <= window:
                run.append(day)
                continue
            valid_to = run[-1] + window
            for end in (left.get(a), left.get(b)):
                if end is not None and end < valid_to:
                    valid_to = end
            if valid_to > run[0]:
                out.append((a, b, run[0], valid_to, len(run)))
            if day is not None:
                run = [day]
    return out


def ties_rebuild(*, network: Network) -> int:
    rows = [
        (m, timezone.localtime(start).date(), member)
        for m, start, member in Attendance.objects.filter(meeting__network=network).values_list(
            "meeting_id", "meeting__starts_at", "membership_id"
        )
    ]
    left = dict(NetworkMembership.objects.filter(network=network).values_list("pk", "left_on"))
    ties = meeting_ties(rows, left=left)  # type: ignore[arg-type]
    with transaction.atomic():
        Tie.objects.filter(network=network, source=Tie.Source.MEETINGS).delete()
        Tie.objects.bulk_create(
            [
                Tie(network=network, a_id=a, b_id=b, source=Tie.Source.MEETINGS, valid_from=f, valid_to=t, weight=w)
                for a, b, f, t, w in ties
            ],
            batch_size=2000,
        )
    return len(ties)
