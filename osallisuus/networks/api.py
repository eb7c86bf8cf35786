"""The networks endpoints under /api/v1/networks/: the same services and gates as the pages.
A network the caller may not see answers 404 exactly like one that does not exist; members, meetings,
ties and the analysis are for the network's members only (404 for others)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from osallisuus.core.api import PageQuery, error_responses

from . import evaluation, selectors, services
from .models import Snapshot

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

router = Router(tags=["networks"])


def _me(request: HttpRequest) -> User:
    return cast("User", request.auth)  # type: ignore[attr-defined]


class NetworkOut(Schema):
    id: int
    name: str
    purpose: str
    type: str
    lifecycle: str
    legal_basis: str
    goal: str
    ends_on: dt.date | None
    visibility: str
    closed_on: dt.date | None
    owners: list[str]


class MemberOut(Schema):
    id: int
    name: str
    organisation: str | None
    kind: str
    role: str
    strengths: list[str]
    is_coordinator: bool
    joined_on: dt.date
    left_on: dt.date | None
    email: str | None


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    channel_url: str
    host: str | None
    attendance_recorded: bool


class TieOut(Schema):
    a: int
    b: int
    source: str
    weight: int
    valid_from: dt.date
    valid_to: dt.date | None


class AnalysisOut(Schema):
    on: dt.date
    level: str
    status: str
    figures: dict[str, Any] | None
    absent: list[int]


def _network_out(n: Any) -> NetworkOut:
    return NetworkOut(
        id=n.pk,
        name=n.name,
        purpose=n.purpose,
        type=n.type,
        lifecycle=n.lifecycle,
        legal_basis=n.legal_basis,
        goal=n.goal,
        ends_on=n.ends_on,
        visibility=n.visibility,
        closed_on=n.closed_on,
        owners=[o.name for o in n.owners.all()],
    )


@router.get("/", response={200: list[NetworkOut], **error_responses(401, 422)}, url_name="networks_list")
def networks(request: HttpRequest, page: Query[PageQuery]) -> list[NetworkOut]:
    """The networks the caller may see."""
    rows = selectors.registry(actor=_me(request)).order_by("name", "pk")[page.offset : page.offset + page.limit]
    return [_network_out(n) for n in rows]


@router.get("/{network_id}", response={200: NetworkOut, **error_responses(401, 404, 422)}, url_name="networks_detail")
def network_detail(request: HttpRequest, network_id: int) -> Any:
    return _network_out(selectors.network_get(actor=_me(request), pk=network_id, route=request.path))


@router.get(
    "/{network_id}/members",
    response={200: list[MemberOut], **error_responses(401, 404, 422)},
    url_name="networks_members",
)
def members(request: HttpRequest, network_id: int) -> Any:
    """The members the caller may see; contact details only for the network's own members."""
    me = _me(request)
    network = selectors.network_get(actor=me, pk=network_id, route=request.path)
    return [
        MemberOut(
            id=r.membership.pk,
            name=r.membership.name,
            organisation=r.membership.organisation.name if r.membership.organisation else None,
            kind=r.membership.kind,
            role=r.membership.role,
            strengths=r.membership.strengths,
            is_coordinator=r.membership.is_coordinator,
            joined_on=r.membership.joined_on,
            left_on=r.membership.left_on,
            email=r.membership.email if r.contacts else None,
        )
        for r in selectors.members_for(actor=me, network=network, route=request.path)
    ]


@router.get(
    "/{network_id}/meetings",
    response={200: list[MeetingOut], **error_responses(401, 404, 422)},
    url_name="networks_meetings",
)
def meetings(request: HttpRequest, network_id: int, page: Query[PageQuery]) -> Any:
    network = selectors.network_get_for_member(actor=_me(request), pk=network_id, route=request.path)
    rows = selectors.meetings_of(network)[page.offset : page.offset + page.limit]
    return [
        MeetingOut(
            id=m.pk,
            kind=m.kind,
            title=m.title,
            starts_at=m.starts_at,
            ends_at=m.ends_at,
            place=m.place,
            channel_url=m.channel_url,
            host=m.host.name if m.host else None,
            attendance_recorded=m.attendance_recorded,
        )
        for m in rows
    ]


@router.get(
    "/{network_id}/ties", response={200: list[TieOut], **error_responses(400, 401, 404, 422)}, url_name="networks_ties"
)
def ties(request: HttpRequest, network_id: int, on: dt.date | None = None) -> Any:
    """The ties valid on a date (today by default; never the future)."""
    me = _me(request)
    network = selectors.network_get_for_member(actor=me, pk=network_id, route=request.path)
    day = services.check_snapshot_date(on)
    rows = list(selectors.ties_on(network, day).select_related("a", "b"))
    selectors.log_members_shown(
        actor=me, memberships=[m for t in rows for m in (t.a, t.b)], purpose="network members", route=request.path
    )
    return [
        TieOut(a=t.a_id, b=t.b_id, source=t.source, weight=t.weight, valid_from=t.valid_from, valid_to=t.valid_to)
        for t in rows
    ]


@router.get(
    "/{network_id}/analysis",
    response={200: AnalysisOut, **error_responses(400, 401, 404, 422)},
    url_name="networks_analysis",
)
def network_analysis(request: HttpRequest, network_id: int, on: dt.date | None = None, level: str = "members") -> Any:
    """The kept snapshot of a date: its figures, or its status while the job computes it."""
    me = _me(request)
    network = selectors.network_get_for_member(actor=me, pk=network_id, route=request.path)
    day = services.check_snapshot_date(on)
    if level not in Snapshot.Level.values:
        raise services.NetworkRefusal(_("Choose members or organisations."), field="level", code="invalid")
    snapshot = selectors.snapshot_of(network, day, level)
    if snapshot is None:
        return AnalysisOut(on=day, level=level, status="missing", figures=None, absent=[])
    ready = snapshot.status == Snapshot.Status.READY
    return AnalysisOut(
        on=snapshot.on,
        level=snapshot.level,
        status=snapshot.status,
        figures=snapshot.result.get("analysis") if ready else None,
        absent=snapshot.result.get("absent", []) if ready else [],
    )


class EvaluationRoundOut(Schema):
    number: int
    closing: bool
    opens_at: dt.datetime
    closes_at: dt.datetime
    invited: int
    answered: int | None
    """None while fewer than the round's smallest group have answered (small-cell suppression)."""
    mean: float | None
    smallest_group: int
    change_from_previous: float | None


@router.get(
    "/{network_id}/evaluation",
    response={200: list[EvaluationRoundOut], **error_responses(401, 404, 422)},
    url_name="networks_evaluation",
)
def network_evaluation(request: HttpRequest, network_id: int) -> Any:
    """The network's evaluation rounds with their group figures (the measurement engine's small-cell
    suppression: nothing for a round that fewer than its smallest group answered). Never anyone's answers."""
    me = _me(request)
    network = selectors.network_get_for_member(actor=me, pk=network_id, route=request.path)
    out = []
    for r in evaluation.results(actor=me, network=network):
        report = r.report
        change = r.change.unpaired_difference if r.change is not None else None
        out.append(
            EvaluationRoundOut(
                number=r.evaluation.phase + 1,
                closing=r.evaluation.closing,
                opens_at=r.round.opens_at,
                closes_at=r.round.closes_at,
                invited=report.invited or 0,
                answered=report.n if report.shown else None,
                mean=float(report.mean) if report.shown and report.mean is not None else None,
                smallest_group=report.threshold,
                change_from_previous=float(change) if change is not None else None,
            )
        )
    return out
