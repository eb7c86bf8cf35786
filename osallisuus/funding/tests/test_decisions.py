"""Two decisions: each funder decides its own share under its own yearly envelope; a decision over
the remaining envelope and a second decision by the same funder are refused; decided + remaining
is always the cap (Hypothesis), and the applicant sees both decisions in one table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osallisuus.funding import selectors, services
from osallisuus.funding.models import Application, Decision, Envelope

from .factories import build_world, decided, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def _decide(world, app, amount, *, actor=None, outcome="granted", **kwargs):
    return services.decision_make(
        actor=actor or world.helena,
        application=app,
        outcome=outcome,
        number=f"ELY/{app.pk}",
        decided_on=timezone.localdate(),
        amount=amount,
        **kwargs,
    )


def test_each_funder_decides_its_own_share_and_the_application_is_decided_after_both(world):
    app = submitted(world)
    ely = _decide(world, app, "40 000")
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED
    assert ely.funder == world.ely
    city = services.decision_make(
        actor=world.pekka,
        application=app,
        outcome="granted",
        number="KAU/1",
        decided_on=timezone.localdate(),
        amount="12 000",
    )
    assert city.funder == world.city
    app.refresh_from_db()
    assert app.status == Application.Status.DECIDED
    world.refresh()
    assert world.ely_envelope.decided == Decimal("40000.00")
    assert world.city_envelope.decided == Decimal("12000.00")
    # The lump-sum decision names the outputs it pays for.
    assert ely.outputs.count() == app.outputs.count()


def test_a_decision_over_the_remaining_envelope_is_refused_and_nothing_is_saved(world):
    app = submitted(world)
    with pytest.raises(services.FundingError) as refusal:
        _decide(world, app, "300 000,01")
    assert refusal.value.field == "amount"
    assert refusal.value.code == "over_envelope"
    assert not Decision.objects.exists()
    world.refresh()
    assert world.ely_envelope.decided == 0
    _decide(world, app, "300 000")
    world.refresh()
    assert world.ely_envelope.remaining == 0


def test_a_second_decision_by_the_same_funder_is_refused(world):
    app = submitted(world)
    _decide(world, app, "10 000")
    with pytest.raises(services.FundingError) as refusal:
        _decide(world, app, "5 000")
    assert refusal.value.code == "already_decided"
    world.refresh()
    assert world.ely_envelope.decided == Decimal("10000.00")


def test_a_refusal_needs_its_reasons_and_takes_nothing_from_the_envelope(world):
    app = submitted(world)
    with pytest.raises(services.FundingError) as refusal:
        _decide(world, app, "", outcome="refused")
    assert refusal.value.field == "refusal_reasons"
    decision = _decide(world, app, "", outcome="refused", refusal_reasons="Ei vastaa haun painopisteitä.")
    assert decision.amount == 0
    world.refresh()
    assert world.ely_envelope.decided == 0


def test_only_a_decider_of_the_calls_funders_may_decide(world, personas):
    app = submitted(world)
    with pytest.raises(services.FundingForbidden):
        _decide(world, app, "1000", actor=world.tiina)
    with pytest.raises(services.FundingForbidden):
        _decide(world, app, "1000", actor=personas.steering_group)
    with pytest.raises(services.FundingForbidden):
        _decide(world, app, "1000", funder=world.city)  # Helena is not the city's decider


def test_the_applicant_sees_both_decisions_in_one_table(world):
    app, _ely, _city = decided(world)
    rows = {row.source: row for row in selectors.combined_financing(app)}
    assert rows["esf_state"].applied == Decimal("40000.00")
    assert rows["esf_state"].decided == Decimal("40000.00")
    assert rows["city"].decided == Decimal("12000.00")
    assert rows["own_money"].decided is None


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("160000"), places=2)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(amounts, st.booleans()), min_size=1, max_size=6))
def test_decided_plus_remaining_is_always_the_cap(world_for_property, steps):
    world, apps = world_for_property
    try:
        with transaction.atomic():
            for app, (amount, granted) in zip(apps, steps, strict=False):
                before = Envelope.objects.get(pk=world.ely_envelope.pk)
                try:
                    if granted:
                        _decide(world, app, amount)
                    else:
                        _decide(world, app, "", outcome="refused", refusal_reasons="Ei")
                except services.FundingError:
                    assert amount > before.cap - before.decided
                envelope = Envelope.objects.get(pk=world.ely_envelope.pk)
                made = sum(d.amount for d in Decision.objects.filter(envelope=envelope))
                assert envelope.decided == made
                assert envelope.decided + envelope.remaining == envelope.cap
                assert Decimal(0) <= envelope.decided <= envelope.cap
                assert envelope.paid <= envelope.decided
            raise _Rollback
    except _Rollback:
        pass


class _Rollback(Exception):
    pass


@pytest.fixture
def world_for_property(personas):
    world = build_world(personas)
    return world, [submitted(world, title=f"Hanke {i}") for i in range(6)]
