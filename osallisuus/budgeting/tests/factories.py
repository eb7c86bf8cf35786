"""The budgeting world of the tests: Riikka (activity provider at Työpaja Pärske) runs a process whose
voters are the participants of the Pärske woodwork workshop, Aino and Jari among them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from osallisuus.activation import services as activation
from osallisuus.budgeting import services
from osallisuus.budgeting.models import Process, Proposal

PROPOSALS = [
    ("Katos skeittiparkkiin", "Nuorille, jotka skeittaavat sateellakin.", "Sateella ei voi olla ulkona.", "650"),
    ("Pajan uusi höylä", "Puutyöpajan porukalle.", "Vanha höylä on rikki.", "400"),
    ("Retki kansallispuistoon", "Koko ryhmälle.", "Yhdessä tekeminen on tärkeää.", "900"),
]


def dates(*, start: dt.date | None = None) -> dict[str, dt.date]:
    """Phases around today: proposals started a month ago, voting ends in ten days."""
    today = start or timezone.localdate()
    return {
        "proposals_from": today - dt.timedelta(days=30),
        "proposals_until": today - dt.timedelta(days=20),
        "costing_until": today - dt.timedelta(days=10),
        "voting_from": today - dt.timedelta(days=1),
        "voting_until": today + dt.timedelta(days=10),
        "results_on": today + dt.timedelta(days=12),
        "delivery_until": today + dt.timedelta(days=90),
    }


@dataclass
class World:
    personas: Any
    activity: Any
    process: Process
    proposals: list[Proposal]

    @property
    def riikka(self) -> Any:
        return self.personas.activity_provider

    @property
    def aino(self) -> Any:
        return self.personas.participant

    def refresh(self) -> Process:
        self.process.refresh_from_db()
        return self.process

    def advance(self, to: str) -> Process:
        self.process = services.process_advance(actor=self.riikka, process=self.process, to=to)
        return self.process


def workshop(personas: Any, *, participants: tuple[str, ...] = ("participant", "participant2")) -> Any:
    activity = activation.activity_create(
        provider=personas.organisations["ngo2"],
        actor=personas.activity_provider,
        data={
            "title": "Puutyöpaja",
            "summary": "Korjataan huonekaluja yhdessä.",
            "baskets": ["doing"],
            "area": "Asemanseutu",
            "schedule": "ti ja to klo 9–13",
            "capacity": 8,
            "language": "fi",
            "cost": "municipality",
            "accessible": True,
        },
    )
    for key in participants:
        activation.signup_create(activity=activity, participant=personas[key])
    return activity


def build_world(
    personas: Any,
    *,
    phase: str = Process.Phase.VOTING,
    budget: str = "1500",
    ballot_style: str = Process.BallotStyle.APPROVAL,
    winner_rule: str = Process.WinnerRule.GREEDY,
    third_sector_minimum: int = 0,
    max_choices: int | None = None,
    min_share_percent: int | None = None,
    proposals: list[tuple[str, str, str, str]] | None = None,
    name: str = "Pajan porukan yhteinen raha",
    electorate: str = Process.Electorate.ACTIVITY,
) -> World:
    """A process of Riikka's organisation in the given phase, with three proposals by Aino that the
    staff found feasible (the second one carried out by Työpaja Pärske, a third-sector actor)."""
    riikka, aino = personas.activity_provider, personas.participant
    activity = workshop(personas)
    process = services.process_create(
        actor=riikka,
        organisation=personas.organisations["ngo2"],
        data={
            "name": name,
            "description": "Päätetään yhdessä, mihin pajan porukan raha käytetään.",
            "budget": Decimal(budget),
            "electorate": electorate,
            "activity": activity,
            "ballot_style": ballot_style,
            "max_choices": max_choices,
            "min_share_percent": min_share_percent,
            "winner_rule": winner_rule,
            "third_sector_minimum": third_sector_minimum,
            **dates(),
        },
    )
    world = World(personas=personas, activity=activity, process=process, proposals=[])
    if electorate == Process.Electorate.LIST:
        for key in ("participant", "participant2"):
            services.eligible_add(actor=riikka, process=process, email=personas[key].email)
    if phase == Process.Phase.DRAFT:
        return world
    world.advance(Process.Phase.PROPOSALS)
    for index, (title, for_whom, why, cost) in enumerate(PROPOSALS if proposals is None else proposals):
        proposal = services.proposal_create(
            actor=aino, process=world.process, data={"title": title, "for_whom": for_whom, "why": why}
        )
        world.proposals.append(proposal)
        if phase == Process.Phase.PROPOSALS:
            continue
        services.proposal_decide(
            actor=riikka,
            proposal=proposal,
            feasible=True,
            cost=Decimal(cost),
            provider=personas.organisations["ngo2"] if index == 1 else None,
            provider_name="" if index == 1 else "Järvilahden kaupunki",
            third_sector=index == 1,
        )
    if phase == Process.Phase.PROPOSALS:
        return world
    world.advance(Process.Phase.COSTING)
    if phase == Process.Phase.COSTING:
        return world
    world.advance(Process.Phase.VOTING)
    world.proposals = [Proposal.objects.get(pk=p.pk) for p in world.proposals]
    return world


def publish(world: World) -> World:
    """Close the voting, count and publish the results."""
    world.advance(Process.Phase.RESULTS)
    world.process = services.results_publish(actor=world.riikka, process=world.process)
    return world
