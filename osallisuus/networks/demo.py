"""Demo data of networked work: three Järvilahti networks in Finnish with two years of dated
meetings, so the picture changes over time, and Aino's network map in two versions.

* Ehkäisevän päihdetyön alueellinen verkosto: permanent, statutory (Leena coordinates, Eero takes part).
* Järvilahden järjestöjen ja kaupungin yhteistyöverkosto: a stakeholder network kept warm (Matti).
* Nuorten osallisuushanke: a project network near its end (Leena, Matti, Eero).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from osallisuus.core.demo import DemoContext, register

from . import evaluation, services
from .models import MemberKind, Role

EXTRA_PEOPLE = [
    ("Hanna Kivelä", "county", MemberKind.STAFF, Role.PARTICIPANT, ["broker"]),
    ("Timo Laakso", "ngo2", MemberKind.STAFF, Role.PARTICIPANT, ["committer"]),
    ("Sanna Peltonen", "school", MemberKind.STAFF, Role.SEEKER, ["inspirer"]),
    ("Asukas Kaarina", None, MemberKind.RESIDENT, Role.SEEKER, []),
    ("Jukka Rautio", "ngo", MemberKind.EXPERT, Role.PARTICIPANT, ["trust"]),
    ("Liisa Nurmi", "company", MemberKind.STAFF, Role.SEEKER, []),
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _network(ctx: DemoContext, data: dict[str, Any], owners: list[str]) -> Any:
    leena = ctx.users["network_coordinator"]
    return services.network_create(
        actor=leena,
        organisation=ctx.organisations[owners[0]],
        data=data,
        owners=[ctx.organisations[o] for o in owners[1:]],
    )


def _members(ctx: DemoContext, network: Any, start: dt.date, keys: list[str], extras: int) -> list[Any]:
    leena = ctx.users["network_coordinator"]
    network.memberships.update(joined_on=start)
    people = [network.memberships.get()]
    orgs = {"network_member": "village", "expert": "city"}
    for key in keys:
        user = ctx.users[key]
        people.append(
            services.membership_add(
                actor=leena,
                network=network,
                name=user.full_name,
                user=user,
                email=user.email,
                organisation=ctx.organisations[orgs[key]],
                joined_on=start,
                kind=MemberKind.EXPERT if key == "expert" else MemberKind.STAFF,
            )
        )
    for i, (name, org, kind, role, strengths) in enumerate(EXTRA_PEOPLE[:extras]):
        people.append(
            services.membership_add(
                actor=leena,
                network=network,
                name=name,
                kind=kind,
                role=role,
                strengths=strengths,
                organisation=ctx.organisations[org] if org else None,
                joined_on=start + dt.timedelta(days=90 * (i % 3)),
            )
        )
    return people


def _meetings(ctx: DemoContext, network: Any, people: list[Any], start: dt.date, count: int, step: int) -> None:
    leena = ctx.users["network_coordinator"]
    rng = ctx.rng
    today = timezone.localdate()
    previous = None
    for i in range(count):
        day = start + dt.timedelta(days=step * i + 7)
        if day >= today:
            break
        meeting = services.meeting_create(
            actor=leena,
            network=network,
            data={
                "title": f"Verkostotapaaminen {i + 1}",
                "starts_at": _at(day, 13),
                "ends_at": _at(day, 15),
                "place": "Järvilahden kaupungintalo",
                "host": services.next_host(network),
                "agenda": "Kuulumiset, tavoitteiden seuranta, seuraavat askeleet.",
                "kind": "anticipation" if i == 2 else "regular",
                "future": "Nuoret löytävät palvelut helposti." if i == 2 else "",
            },
        )
        present = [p for p in people if p.joined_on <= day and (p.left_on is None or p.left_on > day)]
        # The later the meeting, the more of the newcomers come along: the picture changes.
        chosen = [p for j, p in enumerate(present) if j < 3 or rng.random() < 0.35 + 0.05 * i]
        services.attendance_record(actor=leena, meeting=meeting, membership_ids=[p.pk for p in chosen])
        if previous is None and len(present) > 1:
            services.action_create(
                actor=leena,
                meeting=meeting,
                text="Kootaan yhteystiedot yhteen paikkaan",
                owner=present[1],
                due_on=day + dt.timedelta(days=30),
            )
        previous = meeting
        if i % 2 == 0:
            services.notes_publish(actor=leena, meeting=meeting, notes="Sovimme seuraavista askeleista yhdessä.")


@register("networks", order=60)
def load(ctx: DemoContext) -> None:
    today = timezone.localdate()
    two_years = today - dt.timedelta(days=730)
    leena = ctx.users["network_coordinator"]

    statutory = _network(
        ctx,
        {
            "name": "Ehkäisevän päihdetyön alueellinen verkosto",
            "type": "learning",
            "lifecycle": "permanent",
            "purpose": "Alueen ehkäisevän päihdetyön yhteistyö, tiedon jakaminen ja yhteiset kampanjat.",
            "legal_basis": "Laki ehkäisevän päihdetyön järjestämisestä (523/2015), 6 §",
            "visibility": "owners",
        },
        ["city", "county"],
    )
    people = _members(ctx, statutory, two_years, ["expert"], 4)
    services.rotation_set(
        actor=leena, network=statutory, organisation_ids=[ctx.organisations[k].pk for k in ("city", "county", "ngo2")]
    )
    _meetings(ctx, statutory, people, two_years, 12, 60)
    goal = services.goal_create(
        actor=leena,
        network=statutory,
        title="Yhteinen kampanja kouluihin",
        measure="Kampanja kaikissa Järvilahden kouluissa",
    )
    services.goal_set_status(actor=leena, goal=goal, status="ongoing", on=today - dt.timedelta(days=200))
    for i in range(8):
        services.resource_add(
            actor=leena,
            network=statutory,
            data={
                "kind": ("staff_hours", "room", "catering", "travel")[i % 4],
                "organisation": ctx.organisations[("city", "county")[i % 2]],
                "cost": Decimal(("180.00", "60.00", "45.50", "32.40")[i % 4]),
                "hours": Decimal("6") if i % 4 == 0 else None,
                "spent_on": two_years + dt.timedelta(days=90 * i + 10),
            },
        )

    warm = _network(
        ctx,
        {
            "name": "Järvilahden järjestöjen ja kaupungin yhteistyöverkosto",
            "type": "advocacy",
            "lifecycle": "warm",
            "purpose": "Pidetään yhteys lämpimänä: tavataan kahdesti vuodessa ja tiedotetaan toisille.",
            "visibility": "members",
        },
        ["city"],
    )
    people = _members(ctx, warm, two_years, ["network_member"], 3)
    _meetings(ctx, warm, people, two_years, 4, 180)

    project = _network(
        ctx,
        {
            "name": "Nuorten osallisuushanke",
            "type": "innovation",
            "lifecycle": "project",
            "purpose": "Kehitetään nuorten kanssa tapa vaikuttaa palveluihin kiertävän kokouksen mallilla.",
            "goal": "Kiertävän kokouksen malli on käytössä kolmessa palvelussa.",
            "ends_on": today + dt.timedelta(days=20),
            "visibility": "members",
        },
        ["city", "ngo"],
    )
    start = today - dt.timedelta(days=500)
    people = _members(ctx, project, start, ["network_member", "expert"], 6)
    services.rotation_set(
        actor=leena, network=project, organisation_ids=[ctx.organisations[k].pk for k in ("ngo", "city", "village")]
    )
    _meetings(ctx, project, people, start, 10, 45)
    services.membership_leave(actor=leena, membership=people[-1], on=today - dt.timedelta(days=120))
    services.tie_declare(
        actor=ctx.users["network_member"],
        network=project,
        target=people[0],
        reason="Suunnittelemme kyläillat yhdessä",
        valid_from=today - dt.timedelta(days=300),
    )
    services.goal_create(actor=leena, network=project, title="Malli kolmessa palvelussa", measure="3 palvelua")
    # The project nears its end: Leena has sent the closing evaluation; Matti and Eero have it waiting
    # under Questionnaires. Once it is sent, the network can be closed (read only, history kept).
    evaluation.evaluation_start(actor=leena, network=project, closes_on=today + dt.timedelta(days=14), closing=True)

    aino = ctx.users["participant"]
    ville = ctx.users["own_worker"]
    aino_map = services.map_create(actor=aino, title="Minun ihmiseni")
    aino_map.versions.update(made_on=today - dt.timedelta(days=365))
    services.map_share(actor=aino, personal_map=aino_map, worker_id=ville.pk)
    for name, sector, circle, quality, support in [
        ("Äiti", "family", 1, "supportive", "Kuuntelee ja auttaa arjessa"),
        ("Veli", "family", 2, "strained", ""),
        ("Naapurin Maija", "friends", 3, "supportive", "Käydään kävelyllä"),
        ("Ville (omatyöntekijä)", "workers", 2, "supportive", "Tapaamiset kerran kuussa"),
    ]:
        services.map_person_add(
            actor=aino,
            personal_map=aino_map,
            data={"name": name, "sector": sector, "circle": circle, "quality": quality, "support": support},
        )
    services.map_version_new(actor=aino, personal_map=aino_map, note="Vuoden kuluttua")
    services.map_person_add(
        actor=aino,
        personal_map=aino_map,
        data={
            "name": "Pajan ohjaaja Timo",
            "sector": "workers",
            "circle": 2,
            "quality": "supportive",
            "support": "Työpajalla joka viikko",
        },
    )
    services.map_person_add(
        actor=aino,
        personal_map=aino_map,
        data={"name": "Kaveri Jenna", "sector": "friends", "circle": 1, "quality": "supportive", "support": "Soittaa"},
    )
