"""Networked work in the authorization matrix (tests/test_authorization_matrix.py).

Leena (network coordinator) runs network A, visible to its members only, with Matti (network member)
and Eero (expert, a member for the city) and a resident without an account. A meeting with attendance,
a later one that follows up an action, a goal and a computed picture of today. Aino keeps a network map
and shares it with Ville, her own worker. Nobody else of the personas is in network A.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.authz_matrix import Case, Entry, api_logged_in, everyone, logged_in, only

LEENA = "network_coordinator"
MATTI = "network_member"
EERO = "expert"
AINO = "participant"
VILLE = "own_worker"
POST_ONLY = everyone(405, anonymous="login")
MEMBERS = {LEENA: 200, MATTI: 200, EERO: 200}
MAP_READERS = {AINO: 200, VILLE: 200}


def build(personas: Any) -> dict[str, Any]:
    from django.utils import timezone

    from osallisuus.networks import services
    from osallisuus.networks.models import Snapshot

    from .factories import build_world, meeting

    world = build_world(personas)
    leena = personas.network_coordinator
    first = meeting(world, timezone.localdate() - dt.timedelta(days=40), [world.leena, world.matti, world.eero])
    action = services.action_create(
        actor=leena, meeting=first, text="Kysy kirjastosta tilaa", owner=world.matti, due_on=timezone.localdate()
    )
    second = meeting(world, timezone.localdate() - dt.timedelta(days=5), [world.leena, world.matti])
    goal = services.goal_create(actor=leena, network=world.a, title="Kiertävä kokous vakiintuu", owner=world.matti)
    snapshot = Snapshot.objects.create(network=world.a, on=timezone.localdate(), level=Snapshot.Level.MEMBERS)
    services.snapshot_compute(snapshot_id=snapshot.pk)
    _invitation, token = services.invitation_create(actor=leena, network=world.a, email="uusi.asukas@example.fi")
    person = world.aino_map.versions.get().people.get()
    tie = services.tie_declare(actor=personas.network_member, network=world.a, target=world.eero, reason="Kylätalo")
    return {
        "net": world.a,
        "world": world,
        "meeting": second,
        "action": action,
        "goal": goal,
        "token": token,
        "map": world.aino_map,
        "map_person": person,
        "tie": tie,
    }


def _pk(name: str) -> Any:
    return lambda ctx: {"pk": ctx.extra[name].pk}


def _member(attr: str) -> Any:
    return lambda ctx: {"pk": getattr(ctx.extra["world"], attr).pk}


COORDINATES = {LEENA: "redirect", MATTI: 403, EERO: 403}

MATRIX: dict[str, Entry] = {
    "networks:home": Entry(methods={"GET": logged_in(200), "POST": logged_in(405)}),
    "networks:mine": Entry(methods={"GET": logged_in(200)}),
    "networks:network_new": Entry(
        methods={"GET": only({LEENA: 200}, others=403), "POST": only({LEENA: 400}, others=403)}
    ),
    "networks:network": Entry(kwargs=_pk("net"), methods={"GET": only(MEMBERS, others=404)}, reads_personal_data=True),
    "networks:network_edit": Entry(
        kwargs=_pk("net"),
        methods={
            "GET": only({LEENA: 200, MATTI: 403, EERO: 403}, others=404),
            "POST": only({LEENA: 400, MATTI: 403, EERO: 403}, others=404),
        },
    ),
    # Leena closes it: the network is read only after that, and the members may not close it.
    "networks:network_close": Entry(
        kwargs=_pk("net"), methods={"GET": POST_ONLY, "POST": only(COORDINATES, others=404)}
    ),
    # Group results only (never anyone's answers); without a date Leena is told to give the last day.
    "networks:evaluation": Entry(
        kwargs=_pk("net"),
        methods={"GET": only(MEMBERS, others=404), "POST": only({LEENA: 400, MATTI: 403, EERO: 403}, others=404)},
    ),
    "networks:invite": Entry(
        kwargs=_pk("net"),
        methods={
            "GET": only({LEENA: 200, MATTI: 403, EERO: 403}, others=404),
            "POST": only({LEENA: 400, MATTI: 403, EERO: 403}, others=404),
        },
    ),
    "networks:rotation": Entry(
        kwargs=_pk("net"),
        methods={
            "GET": only({LEENA: 200, MATTI: 403, EERO: 403}, others=404),
            "POST": only({LEENA: 400, MATTI: 403, EERO: 403}, others=404),
        },
    ),
    "networks:tie_new": Entry(
        kwargs=_pk("net"), methods={"GET": POST_ONLY, "POST": only({LEENA: 400, MATTI: 400, EERO: 400}, others=404)}
    ),
    # Matti declared it; a member who is not one of its two ends is sent back with the reason.
    "networks:tie_end": Entry(
        kwargs=_pk("tie"),
        methods={"GET": POST_ONLY, "POST": only({LEENA: "redirect", MATTI: "redirect", EERO: "redirect"}, others=404)},
    ),
    "networks:meeting_new": Entry(
        kwargs=_pk("net"),
        methods={
            "GET": only({LEENA: 200, MATTI: 403, EERO: 403}, others=404),
            "POST": only({LEENA: 400, MATTI: 403, EERO: 403}, others=404),
        },
    ),
    "networks:goals": Entry(
        kwargs=_pk("net"),
        methods={"GET": only(MEMBERS, others=404), "POST": only({LEENA: 400, MATTI: 403, EERO: 403}, others=404)},
        reads_personal_data=True,
    ),
    # Without a status: the coordinator is sent back with the message.
    "networks:goal_status": Entry(
        kwargs=lambda ctx: {"pk": ctx.extra["net"].pk, "goal_id": ctx.extra["goal"].pk},
        methods={"GET": POST_ONLY, "POST": only(COORDINATES, others=404)},
    ),
    "networks:resources": Entry(
        kwargs=_pk("net"),
        methods={"GET": only(MEMBERS, others=404), "POST": only({LEENA: 400, MATTI: 403, EERO: 403}, others=404)},
    ),
    "networks:resources_xlsx": Entry(kwargs=_pk("net"), methods={"GET": only(MEMBERS, others=404)}),
    "networks:picture": Entry(kwargs=_pk("net"), methods={"GET": only(MEMBERS, others=404)}, reads_personal_data=True),
    # Without a date: the picture of today is computed again.
    "networks:snapshot_new": Entry(
        kwargs=_pk("net"),
        methods={"GET": POST_ONLY, "POST": only(dict.fromkeys(MEMBERS, "redirect"), others=404)},
    ),
    "networks:change": Entry(kwargs=_pk("net"), methods={"GET": only(MEMBERS, others=404)}),
    "networks:export_graphml": Entry(kwargs=_pk("net"), methods={"GET": only(MEMBERS, others=404)}),
    "networks:export_csv": Entry(
        kwargs=lambda ctx: {"pk": ctx.extra["net"].pk, "what": "nodes"}, methods={"GET": only(MEMBERS, others=404)}
    ),
    # A fresh one-use link: open to everyone. Without an answer it is accepted: the visitor without an
    # account must write a name (400); Aino, the first with an account, accepts it; after that it is used.
    "networks:invitation": Entry(
        kwargs=lambda ctx: {"token": ctx.extra["token"]},
        methods={"GET": everyone(200), "POST": Case(default=410, anonymous=400, overrides={AINO: "redirect"})},
    ),
    "networks:membership_edit": Entry(
        kwargs=_member("matti"),
        methods={
            "GET": only({LEENA: 200, MATTI: 200, EERO: 403}, others=404),
            "POST": only({LEENA: 400, MATTI: 400, EERO: 403}, others=404),
        },
        reads_personal_data=True,
    ),
    # The resident's membership: Leena records her leaving; another member may not.
    "networks:membership_leave": Entry(
        kwargs=_member("resident"), methods={"GET": POST_ONLY, "POST": only(COORDINATES, others=404)}
    ),
    "networks:meeting": Entry(
        kwargs=_pk("meeting"), methods={"GET": only(MEMBERS, others=404)}, reads_personal_data=True
    ),
    "networks:meeting_edit": Entry(
        kwargs=_pk("meeting"),
        methods={
            "GET": only({LEENA: 200, MATTI: 403, EERO: 403}, others=404),
            "POST": only({LEENA: 400, MATTI: 403, EERO: 403}, others=404),
        },
    ),
    # Nobody ticked: an empty attendance is saved.
    "networks:meeting_attendance": Entry(
        kwargs=_pk("meeting"), methods={"GET": POST_ONLY, "POST": only(COORDINATES, others=404)}
    ),
    "networks:meeting_notes": Entry(
        kwargs=_pk("meeting"),
        methods={"GET": POST_ONLY, "POST": only({LEENA: 400, MATTI: 403, EERO: 403}, others=404)},
    ),
    "networks:action_new": Entry(
        kwargs=_pk("meeting"),
        methods={"GET": POST_ONLY, "POST": only({LEENA: 400, MATTI: 403, EERO: 403}, others=404)},
    ),
    "networks:action_follow_up": Entry(
        kwargs=lambda ctx: {"pk": ctx.extra["meeting"].pk, "action_id": ctx.extra["action"].pk},
        methods={"GET": POST_ONLY, "POST": only(COORDINATES, others=404)},
    ),
    "networks:meeting_ics": Entry(kwargs=_pk("meeting"), methods={"GET": only(MEMBERS, others=404)}),
    "networks:maps": Entry(methods={"GET": logged_in(200), "POST": logged_in(400)}, reads_personal_data=True),
    "networks:map": Entry(kwargs=_pk("map"), methods={"GET": only(MAP_READERS, others=404)}, reads_personal_data=True),
    "networks:map_person_new": Entry(
        kwargs=_pk("map"), methods={"GET": POST_ONLY, "POST": only({AINO: 400, VILLE: 400}, others=404)}
    ),
    # Aino takes the person off first; after that there is nothing for Ville to take off.
    "networks:map_person_remove": Entry(
        kwargs=_pk("map_person"), methods={"GET": POST_ONLY, "POST": only({AINO: "redirect"}, others=404)}
    ),
    "networks:map_version_new": Entry(
        kwargs=_pk("map"),
        methods={"GET": POST_ONLY, "POST": only({AINO: "redirect", VILLE: "redirect"}, others=404)},
    ),
    # Without a worker: Aino stops sharing, so after that Ville no longer finds the map.
    "networks:map_share": Entry(
        kwargs=_pk("map"), methods={"GET": POST_ONLY, "POST": only({AINO: "redirect"}, others=404)}
    ),
    "networks:map_pdf": Entry(kwargs=_pk("map"), methods={"GET": only(MAP_READERS, others=404)}),
    # -- API ----------------------------------------------------------------------------------------
    "api:networks_list": Entry(methods={"GET": api_logged_in(200)}),
    "api:networks_detail": Entry(
        kwargs=lambda ctx: {"network_id": ctx.extra["net"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=MEMBERS)},
    ),
    "api:networks_members": Entry(
        kwargs=lambda ctx: {"network_id": ctx.extra["net"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=MEMBERS)},
        reads_personal_data=True,
    ),
    "api:networks_meetings": Entry(
        kwargs=lambda ctx: {"network_id": ctx.extra["net"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=MEMBERS)},
    ),
    "api:networks_ties": Entry(
        kwargs=lambda ctx: {"network_id": ctx.extra["net"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=MEMBERS)},
    ),
    "api:networks_analysis": Entry(
        kwargs=lambda ctx: {"network_id": ctx.extra["net"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=MEMBERS)},
    ),
    "api:networks_evaluation": Entry(
        kwargs=lambda ctx: {"network_id": ctx.extra["net"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=MEMBERS)},
    ),
}
