"""The internal-call model: the city, as main implementer, holds ESF funding granted to it in the
parent programme and re-grants it to small NGOs in its own internal call, deciding together with
ELY (the regional funder)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from osallisuus.funding import services
from osallisuus.funding.models import Application, Call, Envelope, Funder, Programme
from osallisuus.funding.services import internal
from osallisuus.funding.services.payments import MoneyError, MoneyForbidden

from . import money_world

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def setup(personas):
    with translation.override("en"):
        world = money_world.build(personas)
        orgs = personas.organisations
        # The city's own project in the parent programme, granted 60 000 € by ELY.
        own = money_world.application(world.call, orgs["city"], title="Kaupungin pienhankehaku")
        money_world.decide(own, world.ely, world.ely_envelope, D("60000.00"), personas.funder_officer)
        prog = Programme.objects.create(
            name="Järvilahden pienhankkeet 2027",
            organisation=orgs["city"],
            model=Programme.Model.INTERNAL,
            parent=world.programme,
            year_from=2027,
            year_until=2027,
        )
        main = Funder.objects.create(programme=prog, organisation=orgs["city"], share=Funder.Share.MAIN_IMPLEMENTER)
        regional = Funder.objects.create(programme=prog, organisation=orgs["funder"], share=Funder.Share.ESF_STATE)
        Envelope.objects.create(funder=regional, year=2027, cap=D("100000.00"), source="ELY:n päätös")
        now = timezone.now()
        call = Call.objects.create(
            programme=prog,
            name="Pienhankehaku",
            opens_at=now - dt.timedelta(days=30),
            closes_at=now - dt.timedelta(days=1),
            year=2027,
        )
        call.funders.set([main, regional])
        yield world, prog, main, regional, call


def _submitted(call, org, title):
    app = money_world.application(call, org, title=title, ends_on=timezone.localdate() + dt.timedelta(days=200))
    app.status = Application.Status.SUBMITTED
    app.save()
    return app


def test_main_implementers_envelopes_stay_within_what_it_holds(setup, personas):
    world, prog, main, _regional, _call = setup
    pekka = personas.civic_unit
    assert internal.held(prog) == D("60000.00")
    with pytest.raises(MoneyError) as refused:
        internal.envelope_set(actor=pekka, funder=main, year=2027, cap=D("60000.01"), source="Päätös")
    assert refused.value.field == "cap"
    internal.envelope_set(actor=pekka, funder=main, year=2027, cap=D("45000"), source="ELY:n päätös 1/2027")
    with pytest.raises(MoneyError) as refused:
        internal.envelope_set(actor=pekka, funder=main, year=2028, cap=D("15000.01"), source="Päätös")
    assert "45" in refused.value.message
    internal.envelope_set(actor=pekka, funder=main, year=2028, cap=D("15000"), source="Päätös")
    with pytest.raises(MoneyForbidden):
        internal.envelope_set(actor=personas.funder_officer, funder=main, year=2027, cap=D("1"), source="x")
    with pytest.raises(MoneyError):
        internal.envelope_set(actor=pekka, funder=world.city, year=2027, cap=D("1"), source="x")


def test_the_envelope_caps_re_grants_and_both_decide_together(setup, personas):
    _world, prog, main, regional, call = setup
    pekka, helena = personas.civic_unit, personas.funder_officer
    internal.envelope_set(actor=pekka, funder=main, year=2027, cap=D("20000"), source="ELY:n päätös 1/2027")
    first = _submitted(call, personas.organisations["ngo"], "Kokemusilta")
    second = _submitted(call, personas.organisations["village"], "Kylätalon kahvila")
    services.decision_make(
        actor=pekka,
        application=first,
        outcome="granted",
        number="K-1",
        decided_on=dt.date(2027, 3, 1),
        amount="15 000",
        funder=main,
    )
    assert internal.joint_decision(first).state == "waiting"
    services.decision_make(
        actor=helena,
        application=first,
        outcome="granted",
        number="ELY-1",
        decided_on=dt.date(2027, 3, 2),
        amount="5 000",
        funder=regional,
    )
    joint = internal.joint_decision(first)
    assert joint.state == "granted"
    assert joint.total == D("20000.00")
    with pytest.raises(services.FundingError) as refused:
        services.decision_make(
            actor=pekka,
            application=second,
            outcome="granted",
            number="K-2",
            decided_on=dt.date(2027, 3, 1),
            amount="5 000,01",
            funder=main,
        )
    assert refused.value.field == "amount"
    assert internal.regrant_room(prog) == D("45000.00")  # 60 000 held, 15 000 re-granted
    services.decision_make(
        actor=helena,
        application=second,
        outcome="refused",
        number="ELY-2",
        decided_on=dt.date(2027, 3, 2),
        refusal_reasons="Ei alueellista vaikuttavuutta",
        funder=regional,
    )
    assert internal.joint_decision(second).state == "refused"
