"""The funding world of the tests: the city of Järvilahti (Pekka, civic unit) runs the programme
"Järvilahden kumppanuusrahoitus 2027" with the ELY centre (Helena, ESF+ and state share, envelope
300 000 €) and itself (municipal share, envelope 100 000 €). A call is open now; Tiina (applicant,
Työpaja Pärske ry) writes an application with outputs, a cost estimate and a financing plan that
adds up (60 000 €: ESF+state 40 000, city 12 000, own money 3 000, volunteer work 5 000)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from osallisuus.funding import services
from osallisuus.funding.models import (
    Application,
    Call,
    Decision,
    Envelope,
    Funder,
    FundingRule,
    Programme,
)

YEAR = 2027
LUMP_SUM_SOURCE = "EU-alue- ja rakennepolitiikan ohjelma 2021–2027: kertakorvaus enintään 200 000 € hankkeille"
ADVANCE_SOURCE = "Ohjelman rahoitusehdot: ennakko enintään 30 % tuesta"
ATTACHMENT_SOURCE = "Järvilahden kaupungin hakuohje 2027"

CRITERIA = [("Osallisuuden vahvistuminen", 40), ("Toteutettavuus", 30), ("Kustannusvaikuttavuus", 30)]
OUTPUTS = [
    {
        "description": "Vertaisryhmät työttömille nuorille",
        "indicator": "Ryhmätapaamisia",
        "target": "40",
        "unit": "kpl",
    },
    {"description": "Osallistujat ohjattu jatkopolulle", "indicator": "Henkilöitä", "target": "25", "unit": "hlöä"},
]
COSTS = [
    {"category": "staff", "description": "Ohjaajan palkka 12 kk", "amount": "42 000"},
    {"category": "premises", "description": "Tilavuokra", "amount": "6 000"},
    {"category": "materials", "description": "Materiaalit", "amount": "2 000"},
    {"category": "other", "description": "Vapaaehtoistyö (arvo)", "amount": "10 000"},
]
FINANCING = {"esf_state": "40 000", "city": "12 000", "own_money": "3 000", "own_volunteer": "5 000"}
PLAN = {
    "title": "Pärskeen polku",
    "aims": "Nuorten työttömien osallisuus vahvistuu.",
    "target_group": "18–29-vuotiaat työttömät järvilahtelaiset",
    "activities": "Vertaisryhmät, pajatoiminta ja ohjaus jatkopoluille.",
    "schedule": "Tammikuusta joulukuuhun 2027",
    "theme": "Nuoret",
    "area": "Asemanseutu",
    "starts_on": dt.date(YEAR, 1, 1),
    "ends_on": dt.date(YEAR, 12, 31),
    "lump_sum": True,
}


def seed_rules() -> None:
    """The rules that are law or policy, with their sources (the demo seeds the same rows)."""
    since = dt.date(2021, 1, 1)
    for kind, value, source in (
        (FundingRule.Kind.LUMP_SUM_MAX_TOTAL, Decimal("200000"), LUMP_SUM_SOURCE),
        (FundingRule.Kind.ADVANCE_MAX_PERCENT, Decimal("30"), ADVANCE_SOURCE),
        (FundingRule.Kind.ATTACHMENT_MAX_MB, Decimal("10"), ATTACHMENT_SOURCE),
    ):
        FundingRule.objects.get_or_create(kind=kind, valid_from=since, defaults={"value": value, "source": source})


@dataclass
class World:
    personas: Any
    programme: Programme
    ely: Funder
    city: Funder
    ely_envelope: Envelope
    city_envelope: Envelope
    call: Call
    applications: list[Application] = field(default_factory=list)

    @property
    def pekka(self) -> Any:
        return self.personas.civic_unit

    @property
    def helena(self) -> Any:
        return self.personas.funder_officer

    @property
    def tiina(self) -> Any:
        return self.personas.applicant

    @property
    def olli(self) -> Any:
        return self.personas.steering_group

    @property
    def application(self) -> Application:
        return self.applications[0]

    def refresh(self) -> None:
        for obj in (self.ely_envelope, self.city_envelope, *self.applications):
            obj.refresh_from_db()


def open_window(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    moment = now or timezone.now()
    return moment - dt.timedelta(days=10), moment + dt.timedelta(days=20)


def build_world(
    personas: Any,
    *,
    name: str = "Järvilahden kumppanuusrahoitus 2027",
    ely_cap: str = "300000",
    city_cap: str = "100000",
    year: int = YEAR,
    application: bool = True,
) -> World:
    seed_rules()
    orgs = personas.organisations
    pekka = personas.civic_unit
    programme = services.programme_create(
        actor=pekka,
        organisation=orgs["city"],
        data={
            "name": name,
            "description": "Kaupungin ja ELY-keskuksen yhteinen rahoitus.",
            "year_from": year,
            "year_until": year,
        },
    )
    ely = services.funder_add(actor=pekka, programme=programme, organisation=orgs["funder"], share="esf_state")
    city = services.funder_add(
        actor=pekka, programme=programme, organisation=orgs["city"], share="city", is_convener=True
    )
    ely_env = services.envelope_set(
        actor=pekka, funder=ely, year=year, cap=ely_cap, source="ELY-keskuksen myöntövaltuus 2027"
    )
    city_env = services.envelope_set(
        actor=pekka, funder=city, year=year, cap=city_cap, source="Kaupunginvaltuuston talousarvio 2027"
    )
    opens, closes = open_window()
    call = services.call_create(
        actor=pekka,
        programme=programme,
        name="Kevään 2027 haku",
        opens_at=opens,
        closes_at=closes,
        year=year,
        funders=[ely, city],
        criteria=CRITERIA,
    )
    world = World(personas, programme, ely, city, ely_env, city_env, call)
    if application:
        world.applications.append(draft(world))
    return world


def draft(world: World, *, title: str = "Pärskeen polku", call: Call | None = None, **plan: Any) -> Application:
    """Tiina's draft with a plan, outputs, costs and a financing plan that adds up."""
    tiina = world.tiina
    app = services.application_create(
        actor=tiina, call=call or world.call, applicant=world.personas.organisations["ngo2"], title=title
    )
    return services.application_save(
        actor=tiina,
        application=app,
        plan={**PLAN, "title": title, **plan},
        outputs=OUTPUTS,
        costs=COSTS,
        financing=FINANCING,
    )


def submitted(world: World, **kwargs: Any) -> Application:
    app = draft(world, **kwargs)
    return services.application_submit(actor=world.tiina, application=app)


def decided(
    world: World, *, ely_amount: str = "40000", city_amount: str = "12000", **kwargs: Any
) -> tuple[Application, Decision, Decision]:
    """A submitted application with both decisions (ELY by Helena, the city by Pekka)."""
    app = submitted(world, **kwargs)
    today = timezone.localdate()
    ely = services.decision_make(
        actor=world.helena,
        application=app,
        outcome="granted",
        number=f"ELY/{app.pk}/2027",
        decided_on=today,
        amount=ely_amount,
        conditions="Kertakorvaus tuotosten toteuduttua.",
    )
    city = services.decision_make(
        actor=world.pekka,
        application=app,
        outcome="granted",
        number=f"KAU/{app.pk}/2027",
        decided_on=today,
        amount=city_amount,
        funder=world.city,
    )
    app.refresh_from_db()
    return app, ely, city
