"""Reads of networked work: the gates (one access-log row where a person's data is read), the
registry, members, meetings, figures, the picture and its answers, and personal maps."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osallisuus.core import formatting
from osallisuus.core.access import Action as LogAction
from osallisuus.core.access import gate, log_access, log_listing
from osallisuus.core.collation import finnish, finnish_sorted, search_filter

from . import analysis, permissions, services
from .models import (
    Attendance,
    Goal,
    Lifecycle,
    MapPerson,
    MapVersion,
    Meeting,
    MemberKind,
    Network,
    NetworkMembership,
    NetworkType,
    PersonalMap,
    Resource,
    Role,
    Snapshot,
    Tie,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


# -- networks ----------------------------------------------------------------------------------------
def network_get(*, actor: User, pk: object, route: str = "") -> Network:
    return gate(
        permissions.networks_visible_to(actor).prefetch_related("owners"),
        pk=pk,
        actor=actor,
        purpose="network",
        subject_of=lambda n: None,
        route=route,
    )


def network_get_for_member(*, actor: User, pk: object, route: str = "") -> Network:
    """The picture, analysis, exports, meetings: for the network's members only (404 for others)."""
    return gate(
        permissions.networks_of_member(actor).prefetch_related("owners"),
        pk=pk,
        actor=actor,
        purpose="network",
        subject_of=lambda n: None,
        route=route,
    )


def registry_filters(actor: User) -> dict[str, list[str]]:
    orgs = permissions.networks_visible_to(actor).values_list("owners__pk", flat=True).distinct()
    return {
        "type": list(NetworkType.values),
        "lifecycle": list(Lifecycle.values),
        "organisation": [str(o) for o in orgs if o is not None],
        "state": ["open", "closed"],
    }


def registry_organisations(actor: User) -> list[tuple[int, str]]:
    from osallisuus.accounts import selectors as accounts  # noqa: PLC0415 - only the registry's filter needs it

    ids = {int(i) for i in registry_filters(actor)["organisation"]}
    return [(o.pk, o.name) for o in accounts.organisations_by_ids(ids=ids).order_by(finnish("name"))]


REGISTRY_SORTS: dict[str, Any] = {"name": (finnish("name"), "pk"), "newest": ("-created_at", "-pk")}


def registry(
    *, actor: User, q: str = "", filters: dict[str, str] | None = None, mine: bool = False
) -> QuerySet[Network]:
    filters = filters or {}
    qs = permissions.networks_of_member(actor) if mine else permissions.networks_visible_to(actor)
    if q:
        qs = qs.filter(search_filter(q, ["name", "purpose"]))
    if filters.get("type"):
        qs = qs.filter(type=filters["type"])
    if filters.get("lifecycle"):
        qs = qs.filter(lifecycle=filters["lifecycle"])
    if filters.get("organisation"):
        qs = qs.filter(owners__pk=int(filters["organisation"]))
    if filters.get("state") == "open":
        qs = qs.filter(closed_on__isnull=True)
    elif filters.get("state") == "closed":
        qs = qs.filter(closed_on__isnull=False)
    return (
        Network.objects.filter(pk__in=qs.values("pk"))
        .prefetch_related("owners")
        .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
    )


@dataclass
class MemberRow:
    membership: NetworkMembership
    contacts: bool


MEMBER_SORTS: dict[str, Any] = {"name": (finnish("name"), "pk"), "joined": ("joined_on", "pk")}


def members_visible(*, actor: User, network: Network) -> QuerySet[NetworkMembership]:
    """The members the actor may see, for a paged table (``core.paging.paginate``, ``MEMBER_SORTS``);
    log the page shown with ``member_rows``."""
    return permissions.members_visible_to(actor, network).select_related("organisation", "user")


def member_rows(
    *, actor: User, network: Network, memberships: list[NetworkMembership], route: str = ""
) -> list[MemberRow]:
    """The rows of one page of members; each person with an account shown is logged."""
    contacts = permissions.can_see_contacts(actor, network)
    log_listing(actor=actor, rows=memberships, subject_of=lambda m: m.user_id, purpose="network members", route=route)
    return [MemberRow(membership=m, contacts=contacts) for m in memberships]


def members_for(*, actor: User, network: Network, route: str = "", include_past: bool = True) -> list[MemberRow]:
    """The members the actor may see, in Finnish order; each person with an account shown is logged."""
    qs = permissions.members_visible_to(actor, network).select_related("organisation", "user")
    if not include_past:
        qs = qs.current()
    rows = list(qs.order_by(finnish("name"), "pk"))
    contacts = permissions.can_see_contacts(actor, network)
    log_listing(actor=actor, rows=rows, subject_of=lambda m: m.user_id, purpose="network members", route=route)
    return [MemberRow(membership=m, contacts=contacts) for m in rows]


def membership_get(*, actor: User, pk: object, route: str = "") -> NetworkMembership:
    visible = NetworkMembership.objects.filter(network__in=permissions.networks_of_member(actor)).select_related(
        "network", "organisation"
    )
    return gate(visible, pk=pk, actor=actor, purpose="network members", subject_of=lambda m: m.user_id, route=route)


def declared_tie_get(*, actor: User, pk: object, route: str = "") -> Tie:
    """A declared tie of a network the actor is a member of (404 otherwise)."""
    visible = Tie.objects.filter(
        network__in=permissions.networks_of_member(actor), source=Tie.Source.DECLARED
    ).select_related("network", "a", "b")
    return gate(visible, pk=pk, actor=actor, purpose="network members", subject_of=lambda t: None, route=route)


def current_members(network: Network) -> QuerySet[NetworkMembership]:
    return (
        NetworkMembership.objects.current()
        .filter(network=network)
        .select_related("organisation")
        .order_by(finnish("name"), "pk")
    )


def network_organisations(network: Network) -> list[Any]:
    from osallisuus.accounts import selectors as accounts  # noqa: PLC0415 - a choice list only

    ids = set(network.owners.values_list("pk", flat=True)) | set(
        NetworkMembership.objects.current()
        .filter(network=network, organisation__isnull=False)
        .values_list("organisation_id", flat=True)
    )
    return list(accounts.organisations_by_ids(ids=ids).order_by(finnish("name")))


# -- meetings ----------------------------------------------------------------------------------------
def meetings_visible_to(actor: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(network__in=permissions.networks_of_member(actor))


def meeting_get(*, actor: User, pk: object, route: str = "") -> Meeting:
    return gate(
        meetings_visible_to(actor).select_related("network", "host"),
        pk=pk,
        actor=actor,
        purpose="network meeting",
        subject_of=lambda m: None,
        route=route,
    )


def meetings_of(network: Network) -> QuerySet[Meeting]:
    return network.meetings.select_related("host").annotate(present=Count("attendance")).order_by("-starts_at", "-pk")


def attendance_of(meeting: Meeting) -> set[int]:
    return set(Attendance.objects.filter(meeting=meeting).values_list("membership_id", flat=True))


def log_members_shown(*, actor: User, memberships: Any, purpose: str, route: str = "") -> int:
    """Log once each person with an account among the memberships a page shows."""
    users: dict[int, int] = {}
    for m in memberships:
        if m is not None and m.user_id and m.user_id != actor.pk:
            users.setdefault(m.user_id, m.pk)
    return log_listing(
        actor=actor,
        rows=list(users.items()),
        subject_of=lambda row: row[0],
        object_of=lambda row: ("networks.networkmembership", row[1]),
        purpose=purpose,
        route=route,
    )


def log_users_shown(*, actor: User, users: Any, purpose: str, route: str = "") -> int:
    rows = {u.pk: u for u in users if u is not None and u.pk != actor.pk}
    return log_listing(
        actor=actor,
        rows=list(rows.values()),
        subject_of=lambda u: u.pk,
        object_of=lambda u: ("accounts.user", u.pk),
        purpose=purpose,
        route=route,
    )


def previous_meeting(meeting: Meeting | None, network: Network) -> Meeting | None:
    qs = network.meetings.order_by("-starts_at", "-pk")
    if meeting is not None:
        qs = qs.filter(starts_at__lt=meeting.starts_at)
    return qs.first()


# -- goals and resources -----------------------------------------------------------------------------
def goals_of(network: Network) -> list[Goal]:
    return list(network.goals.select_related("owner").prefetch_related("history"))


def resources_of(network: Network) -> QuerySet[Resource]:
    return network.resources.select_related("organisation").order_by("-spent_on", "-pk")


@dataclass
class Totals:
    by_year: list[tuple[int, Decimal, Decimal]]
    by_organisation: list[tuple[str, Decimal, Decimal]]
    by_kind: list[tuple[str, Decimal]]
    total: Decimal
    hours: Decimal


def resource_totals(network: Network) -> Totals:
    """Costs and staff hours per year and per organisation; both add up to the same total."""
    base = network.resources.all()
    zero = Decimal("0.00")
    by_year = [
        (row["year"], row["cost"] or zero, row["hours"] or zero)
        for row in base.annotate(year=ExtractYear("spent_on"))
        .values("year")
        .annotate(cost=Sum("cost"), hours=Sum("hours"))
        .order_by("year")
    ]
    by_org_rows = base.values("organisation__name").annotate(cost=Sum("cost"), hours=Sum("hours"))
    by_organisation = finnish_sorted(
        [(r["organisation__name"], r["cost"] or zero, r["hours"] or zero) for r in by_org_rows], key=lambda r: r[0]
    )
    labels = dict(Resource.Kind.choices)
    by_kind = [
        (str(labels.get(r["kind"], r["kind"])), r["cost"] or zero)
        for r in base.values("kind").annotate(cost=Sum("cost")).order_by("kind")
    ]
    total = sum((r[1] for r in by_year), zero)
    hours = sum((r[2] for r in by_year), zero)
    return Totals(by_year=by_year, by_organisation=by_organisation, by_kind=by_kind, total=total, hours=hours)


# -- the picture and its answers ----------------------------------------------------------------------
def snapshot_of(network: Network, on: dt.date, level: str) -> Snapshot | None:
    return Snapshot.objects.filter(network=network, on=on, level=level).first()


def snapshots_of(network: Network) -> QuerySet[Snapshot]:
    """The list of pictures computed earlier: without their results (a big one is a megabyte)."""
    return network.snapshots.defer("result").order_by("-on", "level")


def node_labels(
    network: Network, level: str, ids: list[int], *, actor: User | None = None, route: str = ""
) -> dict[int, dict[str, str]]:
    """The label, the role and the organisation of each node (names only for members who see the
    picture; the gate decided that already). With ``actor``, the people shown are logged."""
    if level == Snapshot.Level.ORGANISATIONS:
        from osallisuus.accounts import selectors as accounts  # noqa: PLC0415 - names of organisations only

        return {o.pk: {"label": o.name, "role": "", "group": o.name} for o in accounts.organisations_by_ids(ids=ids)}
    roles = {k: str(v) for k, v in Role.choices}
    kinds = {k: str(v) for k, v in MemberKind.choices}
    # Plain values, not model instances: at 2,000 members this is most of the page's time otherwise.
    members = list(
        NetworkMembership.objects.filter(pk__in=ids).values_list(
            "pk", "name", "role", "kind", "represents", "user_id", "organisation__name"
        )
    )
    if actor is not None:
        log_listing(
            actor=actor,
            rows=[(user_id, pk) for pk, _n, _r, _k, _rep, user_id, _o in members if user_id and user_id != actor.pk],
            subject_of=lambda row: row[0],
            object_of=lambda row: ("networks.networkmembership", row[1]),
            purpose="network members",
            route=route,
        )
    out = {}
    for pk, name, role, kind, represents, user_id, organisation in members:
        out[pk] = {
            "label": name,
            "role": roles.get(role, role),
            "role_code": role,
            "group": organisation or represents or kinds.get(kind, kind),
            "user_id": str(user_id or ""),
        }
    return out


@dataclass
class Answer:
    question: str
    answer: str
    figure: str


def _names(ids: list[int], labels: dict[int, dict[str, str]], limit: int = 8) -> str:
    names = finnish_sorted([labels[i]["label"] for i in ids if i in labels])
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += " " + ngettext("and %(n)d other", "and %(n)d others", len(names) - limit) % {"n": len(names) - limit}
    return shown


def answers(result: dict[str, Any], labels: dict[int, dict[str, str]], level: str) -> list[Answer]:
    """The coordinator's questions answered in plain words, each with the figure behind it. The words
    are about the network and its ties, never a judgement of a person."""
    a = result["analysis"]
    out: list[Answer] = []
    betweenness = {int(k): v for k, v in a["betweenness"].items()}
    top = sorted(betweenness.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    top = [kv for kv in top if kv[1] > 0]
    if top:
        out.append(
            Answer(
                _("Who connects whom?"),
                _("Many of the shortest paths between the others go through %(names)s.")
                % {"names": _names([k for k, _v in top], labels)},
                _("Betweenness (0–1): %(values)s")
                % {
                    "values": "; ".join(
                        f"{labels.get(k, {}).get('label', k)} {formatting.number(v, 2)}" for k, v in top
                    )
                },
            )
        )
    else:
        out.append(
            Answer(
                _("Who connects whom?"),
                _("No one stands between the others: the paths are even."),
                _("Betweenness of everyone: 0"),
            )
        )
    cut = a["articulation"]
    out.append(
        Answer(
            _("Who holds the network together?"),
            (
                _(
                    "If %(names)s were away, the network would split into separate parts. "
                    "More ties around them would make it sturdier."
                )
                % {"names": _names(cut, labels)}
            )
            if cut
            else _("No single absence would split the network into parts."),
            ngettext("%(n)d articulation point", "%(n)d articulation points", len(cut)) % {"n": len(cut)},
        )
    )
    isolates = a["isolates"]
    low = a["low_degree"]
    outside = (
        _("The network has no ties yet with %(names)s.") % {"names": _names(isolates, labels)}
        if isolates
        else _("Everyone has at least one tie.")
    )
    if low:
        outside += " " + _("%(names)s are reached through one tie each.") % {"names": _names(low, labels)}
    out.append(
        Answer(
            _("Who is left outside?"),
            outside,
            _("%(isolates)s without ties, %(low)s with one tie")
            % {"isolates": formatting.count(len(isolates)), "low": formatting.count(len(low))},
        )
    )
    if level == Snapshot.Level.MEMBERS:
        absent = result.get("absent", [])
        n = result.get("absent_after", services.ABSENT_AFTER_MEETINGS)
        out.append(
            Answer(
                _("Whom have the meetings not reached?"),
                (
                    _(
                        "The last %(n)d meetings did not reach %(names)s. "
                        "Perhaps another time or way of meeting would suit them."
                    )
                    % {"n": n, "names": _names(absent, labels)}
                )
                if absent
                else _("Everyone has attended at least one of the last %(n)d meetings.") % {"n": n},
                ngettext("%(count)d member", "%(count)d members", len(absent)) % {"count": len(absent)},
            )
        )
    groups = a["communities"]
    out.append(
        Answer(
            _("Which subgroups are there?"),
            (
                ngettext(
                    "The ties form %(n)d subgroup whose members are tied more to each other than to the rest.",
                    "The ties form %(n)d subgroups whose members are tied more to each other than to the rest.",
                    len(groups),
                )
                % {"n": len(groups)}
            )
            if groups
            else _("No subgroups can be told apart yet."),
            "; ".join(ngettext("%(n)d member", "%(n)d members", len(g)) % {"n": len(g)} for g in groups[:6]) or "0",
        )
    )
    out.append(
        Answer(
            _("How tight is the network?"),
            _(
                "%(percent)s of all possible ties between the members exist; of two people tied to the same person, "
                "%(clustering)s are tied to each other too."
            )
            % {
                "percent": formatting.percent(a["density"] * 100, 1),
                "clustering": formatting.percent(a["transitivity"] * 100, 0),
            },
            _("Density %(density)s, clustering (transitivity) %(clustering)s, %(parts)s separate parts")
            % {
                "density": formatting.number(a["density"], 3),
                "clustering": formatting.number(a["transitivity"], 3),
                "parts": formatting.count(len(a["components"])),
            },
        )
    )
    return out


def ties_on(network: Network, on: dt.date) -> QuerySet[Tie]:
    return Tie.objects.filter(network=network, valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def change_between(
    network: Network, before: dt.date, after: dt.date, level: str = Snapshot.Level.MEMBERS
) -> dict[str, list]:
    nodes_a, edges_a = services.graph_on(network.pk, before, level)
    nodes_b, edges_b = services.graph_on(network.pk, after, level)
    return analysis.change(
        members_before=set(nodes_a),
        members_after=set(nodes_b),
        ties_before={(min(e.a, e.b), max(e.a, e.b)) for e in edges_a},
        ties_after={(min(e.a, e.b), max(e.a, e.b)) for e in edges_b},
    )


# -- personal network maps ---------------------------------------------------------------------------
def maps_for(*, actor: User) -> QuerySet[PersonalMap]:
    return permissions.maps_visible_to(actor).select_related("owner", "shared_with").order_by("-updated_at", "-pk")


def map_get(*, actor: User, pk: object, route: str = "", action: str = LogAction.VIEW) -> PersonalMap:
    """A map for its owner or the worker she shares it with; every read leaves one log row (the
    owner's own reads too, so the log shows each time the map was opened)."""
    personal_map = gate(
        permissions.maps_visible_to(actor)
        .select_related("owner", "shared_with")
        .prefetch_related(Prefetch("versions", queryset=MapVersion.objects.prefetch_related("people"))),
        pk=pk,
        actor=actor,
        purpose="network map",
        subject_of=lambda m: m.owner_id,
        route=route,
        action=action,
    )
    if personal_map.owner_id == actor.pk:
        log_access(
            actor=actor, subject_id=actor.pk, obj=personal_map, action=action, purpose="network map", route=route
        )
    return personal_map


def map_person_get(*, actor: User, pk: object, route: str = "") -> MapPerson:
    person = gate(
        MapPerson.objects.filter(version__map__in=permissions.maps_visible_to(actor)).select_related("version__map"),
        pk=pk,
        actor=actor,
        purpose="network map",
        subject_of=lambda p: p.version.map.owner_id,
        route=route,
    )
    if person.version.map.owner_id == actor.pk:
        log_access(actor=actor, subject_id=actor.pk, obj=person.version.map, purpose="network map", route=route)
    return person


def map_versions(personal_map: PersonalMap) -> list[MapVersion]:
    return sorted(personal_map.versions.all(), key=lambda v: (v.made_on, v.pk))


def map_count_by_quality(version: MapVersion) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for person in version.people.all():
        counts[person.quality] += 1
    return dict(counts)


def now_local() -> dt.datetime:
    return timezone.localtime()


# -- work queues on the front page -------------------------------------------------------------------
def closing_due_count(*, actor: User) -> int:
    networks = permissions.networks_coordinated_by(actor).filter(lifecycle=Lifecycle.PROJECT, closed_on__isnull=True)
    return sum(1 for n in networks.prefetch_related("goals") if services.closing_due(n))


def attendance_missing_count(*, actor: User) -> int:
    return Meeting.objects.filter(
        network__in=permissions.networks_coordinated_by(actor),
        network__closed_on__isnull=True,
        starts_at__lt=timezone.now(),
        attendance_recorded=False,
    ).count()
