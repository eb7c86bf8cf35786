"""A small funded world for the money, groups and portfolio tests, built with the models directly.

Järvilahti's partnership programme with two funders (ELY: ESF+ and state, the city: its share),
their 2027 envelopes, one call, and Työpaja Pärske's (Tiina's) lump-sum project with two outputs,
granted by both funders. Helena (ELY) and Pekka (the city) pay; Olli steers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from osallisuus.funding.models import (
    Application,
    Call,
    Decision,
    Envelope,
    Funder,
    FundingRule,
    Output,
    Programme,
)

YEAR = 2027
SOURCE = "Kumppanuusrahoituksen ohjelma-asiakirja 2027"


@dataclass
class World:
    personas: Any
    programme: Programme
    ely: Funder
    city: Funder
    ely_envelope: Envelope
    city_envelope: Envelope
    call: Call
    application: Application
    outputs: list[Output]
    ely_decision: Decision
    city_decision: Decision


def rules() -> None:
    if FundingRule.objects.exists():
        return
    FundingRule.objects.bulk_create(
        [
            FundingRule(
                kind=FundingRule.Kind.ADVANCE_MAX_PERCENT,
                value=Decimal("30"),
                valid_from=dt.date(2021, 1, 1),
                source="Laki alueiden kehittämisen ja rakennerahastotoiminnan rahoittamisesta 757/2021",
            ),
            FundingRule(
                kind=FundingRule.Kind.LUMP_SUM_MAX_TOTAL,
                value=Decimal("200000"),
                valid_from=dt.date(2021, 1, 1),
                source="Valtioneuvoston asetus 1076/2021",
            ),
        ]
    )


def programme(personas: Any, *, name: str = "Järvilahden kumppanuusrahoitus 2027") -> tuple[Programme, Funder, Funder]:
    orgs = personas.organisations
    prog = Programme.objects.create(name=name, organisation=orgs["city"], year_from=YEAR, year_until=YEAR)
    ely = Funder.objects.create(programme=prog, organisation=orgs["funder"], share=Funder.Share.ESF_STATE)
    city = Funder.objects.create(programme=prog, organisation=orgs["city"], share=Funder.Share.CITY, is_convener=True)
    return prog, ely, city


def application(
    call: Call,
    applicant: Any,
    *,
    title: str = "Pajalta töihin",
    ends_on: dt.date | None = None,
    lump_sum: bool = True,
    theme: str = "Työllisyys",
    area: str = "Keskusta",
) -> Application:
    ends_on = ends_on or timezone.localdate() - dt.timedelta(days=10)
    return Application.objects.create(
        call=call,
        applicant=applicant,
        title=title,
        status=Application.Status.DECIDED,
        starts_on=ends_on - dt.timedelta(days=300),
        ends_on=ends_on,
        lump_sum=lump_sum,
        theme=theme,
        area=area,
        submitted_at=timezone.now(),
    )


def decide(app: Application, funder: Funder, envelope: Envelope, amount: Decimal, decider: Any) -> Decision:
    """What the decision service does to the envelope, done directly."""
    decision = Decision.objects.create(
        application=app,
        funder=funder,
        envelope=envelope,
        outcome=Decision.Outcome.GRANTED,
        number=f"D-{app.pk}-{funder.share}",
        decided_on=dt.date(YEAR, 2, 1),
        decider=decider,
        amount=amount,
    )
    Envelope.objects.filter(pk=envelope.pk).update(decided=envelope.decided + amount)
    envelope.refresh_from_db()
    return decision


def build(
    personas: Any,
    *,
    ely_amount: Decimal = Decimal("40000.00"),
    city_amount: Decimal = Decimal("10000.00"),
    ends_on: dt.date | None = None,
    lump_sum: bool = True,
) -> World:
    rules()
    prog, ely, city = programme(personas)
    ely_envelope = Envelope.objects.create(funder=ely, year=YEAR, cap=Decimal("300000.00"), source=SOURCE)
    city_envelope = Envelope.objects.create(funder=city, year=YEAR, cap=Decimal("100000.00"), source=SOURCE)
    now = timezone.now()
    call = Call.objects.create(
        programme=prog,
        name="Kevään 2027 haku",
        opens_at=now - dt.timedelta(days=200),
        closes_at=now - dt.timedelta(days=150),
        year=YEAR,
    )
    call.funders.set([ely, city])
    app = application(call, personas.organisations["ngo2"], ends_on=ends_on, lump_sum=lump_sum)
    outputs = [
        Output.objects.create(
            application=app, description="Työkokeilut", indicator="henkilöä", target=Decimal("12"), unit="hlö"
        ),
        Output.objects.create(
            application=app, description="Pajailtoja", indicator="kertaa", target=Decimal("30"), unit="kpl"
        ),
    ]
    ely_decision = decide(app, ely, ely_envelope, ely_amount, personas.funder_officer)
    city_decision = decide(app, city, city_envelope, city_amount, personas.civic_unit)
    ely_decision.outputs.set(outputs)
    city_decision.outputs.set(outputs)
    return World(
        personas=personas,
        programme=prog,
        ely=ely,
        city=city,
        ely_envelope=ely_envelope,
        city_envelope=city_envelope,
        call=call,
        application=app,
        outputs=outputs,
        ely_decision=ely_decision,
        city_decision=city_decision,
    )
