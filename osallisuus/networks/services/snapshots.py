"""Snapshots."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import analysis, permissions, picture
from ..models import (
    Attendance,
    Meeting,
    Network,
    NetworkMembership,
    Snapshot,
    Tie,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import User
from .base import ABSENT_AFTER_MEETINGS, NetworkRefusal, _check_decision


# -- snapshots -------------------------------------------------------------------------------------
def check_snapshot_date(on: dt.date | None) -> dt.date:
    today = timezone.localdate()
    if on is None:
        return today
    if on > today:
        raise NetworkRefusal(
            _("A snapshot can be made of a past day or today, not of the future."), field="on", code="future"
        )
    return on


@transaction.atomic
def snapshot_request(
    *, actor: User, network: Network, on: dt.date | None, level: str = Snapshot.Level.MEMBERS
) -> Snapshot:
    """A snapshot on a date, computed in a background job; an existing one is made again."""
    _check_decision(permissions.can_see_picture(actor, network))
    on = check_snapshot_date(on)
    if level not in Snapshot.Level.values:
        raise NetworkRefusal(_("Choose members or organisations."), field="level", code="invalid")
    from osallisuus.core.jobs import job_start  # noqa: PLC0415 - jobs imports the task registry lazily

    from ..tasks import snapshot_compute_task  # noqa: PLC0415 - tasks import services

    snapshot, _created = Snapshot.objects.update_or_create(
        network=network, on=on, level=level, defaults={"status": Snapshot.Status.WAITING, "result": {}, "ties_svg": ""}
    )
    job = job_start(
        owner=actor,
        kind="networks.snapshot",
        label=gettext("The network picture on %(date)s") % {"date": on.isoformat()},
        task=snapshot_compute_task,
        total=4,
        snapshot_id=snapshot.pk,
    )
    snapshot.job_id = str(job.pk)
    snapshot.save(update_fields=["job_id", "updated_at"])
    return snapshot


def graph_on(network_id: int, on: dt.date, level: str) -> tuple[list[int], list[analysis.Edge]]:
    """The nodes and weighted edges of the network on a date (members, or their organisations)."""
    members = dict(
        NetworkMembership.objects.current(on).filter(network_id=network_id).values_list("pk", "organisation_id")
    )
    ties = (
        Tie.objects.filter(network_id=network_id, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .values_list("a_id", "b_id", "weight")
    )
    if level == Snapshot.Level.MEMBERS:
        nodes = sorted(members)
        edges = [analysis.Edge(a, b, w) for a, b, w in ties if a in members and b in members]
        return nodes, edges
    orgs = sorted({o for o in members.values() if o is not None})
    edges = []
    for a, b, w in ties:
        oa, ob = members.get(a), members.get(b)
        if oa and ob and oa != ob:
            edges.append(analysis.Edge(oa, ob, w))
    return orgs, edges


def absent_members(network_id: int, on: dt.date, last: int = ABSENT_AFTER_MEETINGS) -> list[int]:
    """Current members who attended none of the last ``last`` meetings up to the date (only
    meetings held while they were members count; with fewer such meetings nobody is absent)."""
    end = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time()))
    meetings = list(
        Meeting.objects.filter(network_id=network_id, attendance_recorded=True, starts_at__lt=end)
        .order_by("-starts_at")
        .values_list("pk", "starts_at")[:last]
    )
    if len(meetings) < last:
        return []
    first_day = timezone.localtime(meetings[-1][1]).date()
    attended = set(
        Attendance.objects.filter(meeting_id__in=[m for m, _s in meetings]).values_list("membership_id", flat=True)
    )
    members = NetworkMembership.objects.current(on).filter(network_id=network_id, joined_on__lte=first_day)
    return sorted(m for m in members.values_list("pk", flat=True) if m not in attended)


def snapshot_result(network_id: int, on: dt.date, level: str, *, progress: Any = None) -> dict[str, Any]:
    nodes, edges = graph_on(network_id, on, level)
    if progress:
        progress(1)
    figures = analysis.analyse(nodes, edges)
    if progress:
        progress(2)
    positions = analysis.layout(nodes, edges)
    if progress:
        progress(3)
    absent = absent_members(network_id, on) if level == Snapshot.Level.MEMBERS else []
    return {
        "analysis": figures,
        "layout": {str(k): v for k, v in positions.items()},
        "absent": absent,
        "absent_after": ABSENT_AFTER_MEETINGS,
    }


def snapshot_compute(*, snapshot_id: int, progress: Any = None) -> Snapshot:
    snapshot = Snapshot.objects.get(pk=snapshot_id)
    try:
        result = snapshot_result(snapshot.network_id, snapshot.on, snapshot.level, progress=progress)
    except Exception:
        Snapshot.objects.filter(pk=snapshot_id).update(status=Snapshot.Status.FAILED)
        raise
    snapshot.result = result
    snapshot.ties_svg = picture.ties_svg(layout=result["layout"], edges=result["analysis"]["edges"])
    snapshot.status = Snapshot.Status.READY
    snapshot.save(update_fields=["result", "ties_svg", "status", "updated_at"])
    return snapshot


def monthly_snapshots(*, today: dt.date | None = None) -> int:
    """The automatic snapshots: each open network on the first day of this month, at both levels,
    made once (the scheduler runs this daily; ``networks.tasks.monthly_snapshots_task``). Returns how
    many were computed."""
    first = (today or timezone.localdate()).replace(day=1)
    made = 0
    for network_id in Network.objects.filter(closed_on__isnull=True).values_list("pk", flat=True):
        for level in Snapshot.Level.values:
            snapshot, created = Snapshot.objects.get_or_create(network_id=network_id, on=first, level=level)
            if created or snapshot.status == Snapshot.Status.FAILED:
                snapshot_compute(snapshot_id=snapshot.pk)
                made += 1
    return made
