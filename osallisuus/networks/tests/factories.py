"""The networks world of the tests: Leena (network coordinator, Järvilahden kaupunki) coordinates
network A with Matti (village association) and Eero (expert, member for the city), and a resident
without an account; network B is Leena's other network with nobody of the others. Aino keeps her own
network map and shares it with Ville, her own worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from osallisuus.networks import services
from osallisuus.networks.models import MemberKind, Network, NetworkMembership, PersonalMap, Role


def aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@dataclass
class World:
    personas: Any
    a: Network
    b: Network
    leena: NetworkMembership
    matti: NetworkMembership
    eero: NetworkMembership
    resident: NetworkMembership
    aino_map: PersonalMap


def network(personas: Any, name: str, **extra: Any) -> Network:
    data = {
        "name": name,
        "purpose": "Yhteistyötä Järvilahdessa.",
        "type": "advocacy",
        "lifecycle": "warm",
        "visibility": "members",
        **extra,
    }
    return services.network_create(
        actor=personas.network_coordinator, organisation=personas.organisations["city"], data=data
    )


def build_world(personas: Any) -> World:
    leena_user = personas.network_coordinator
    a = network(personas, "Päihdetyön verkosto")
    b = network(personas, "Toinen verkosto")
    joined = timezone.localdate() - dt.timedelta(days=400)
    NetworkMembership.objects.filter(network__in=[a, b]).update(joined_on=joined)
    leena = NetworkMembership.objects.get(network=a, user=leena_user)
    matti = services.membership_add(
        actor=leena_user,
        network=a,
        name=personas.network_member.full_name,
        user=personas.network_member,
        organisation=personas.organisations["village"],
        joined_on=joined,
        email=personas.network_member.email,
    )
    eero = services.membership_add(
        actor=leena_user,
        network=a,
        name=personas.expert.full_name,
        user=personas.expert,
        organisation=personas.organisations["city"],
        kind=MemberKind.EXPERT,
        joined_on=joined,
        role=Role.SEEKER,
    )
    resident = services.membership_add(
        actor=leena_user,
        network=a,
        name="Asukas Kaarina",
        kind=MemberKind.RESIDENT,
        joined_on=joined,
        email="kaarina@example.fi",
    )
    aino_map = services.map_create(actor=personas.participant, title="Aino ja hänen ihmisensä")
    services.map_share(actor=personas.participant, personal_map=aino_map, worker_id=personas.own_worker.pk)
    services.map_person_add(
        actor=personas.participant,
        personal_map=aino_map,
        data={"name": "Äiti", "sector": "family", "circle": 1, "quality": "supportive"},
    )
    return World(personas=personas, a=a, b=b, leena=leena, matti=matti, eero=eero, resident=resident, aino_map=aino_map)


def meeting(world: World, day: dt.date, present: list[NetworkMembership], network: Network | None = None) -> Any:
    net = network or world.a
    m = services.meeting_create(
        actor=world.personas.network_coordinator,
        network=net,
        data={
            "title": "Verkostokokous",
            "starts_at": aware(day),
            "ends_at": aware(day, 11),
            "place": "Kaupungintalo",
        },
    )
    services.attendance_record(
        actor=world.personas.network_coordinator, meeting=m, membership_ids=[p.pk for p in present]
    )
    return m
