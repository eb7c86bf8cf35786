"""Rules of the services: refusals change nothing; cancellation, fees by date, reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from osallisuus.core.models import Notification
from osallisuus.experts import services
from osallisuus.experts.models import (
    Agreement,
    Expert,
    FeeSchedule,
    Offer,
    TaskRequest,
    TaskType,
)

from .factories import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


@pytest.fixture(autouse=True)
def english():
    """The refusal messages are matched in English (the msgids)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_offer_make__to_a_paused_expert__is_refused_and_nothing_changes(world):
    req = world.request()
    Expert.objects.filter(pk=world.eero.pk).update(paused_until=timezone.localdate() + dt.timedelta(days=30))
    world.eero.refresh_from_db()
    with pytest.raises(services.ExpertsError, match="paused until"):
        services.offer_make(actor=world.personas.coordinator, request=req, experts=[world.paivi, world.eero])
    assert not Offer.objects.exists()


def test_offer_make__to_an_untrained_expert__is_refused(world):
    req = world.request()
    Expert.objects.filter(pk=world.eero.pk).update(training_hours=Decimal("16"))
    world.eero.refresh_from_db()
    with pytest.raises(services.ExpertsError, match="training does not yet meet"):
        services.offer_make(actor=world.personas.coordinator, request=req, experts=[world.eero])
    assert not Offer.objects.exists()


def test_offer_make__by_the_orderer__is_refused(world):
    req = world.request()
    with pytest.raises(services.ExpertsError):
        services.offer_make(actor=world.personas.orderer, request=req, experts=[world.eero])
    assert not Offer.objects.exists()


def test_request_file__for_an_organisation_that_may_not_order__is_refused(world):
    ngo2 = world.personas.organisations["ngo2"]
    with pytest.raises(services.ExpertsError):
        services.request_file(
            actor=world.personas.orderer,
            organisation=ngo2,
            broker=world.personas.organisations["ngo"],
            task_type=TaskRequest._meta.get_field("task_type").related_model.objects.first(),
            title="x",
            description="y",
            starts_at=timezone.now() + dt.timedelta(days=2),
            duration_minutes=60,
            remote=True,
        )
    assert not TaskRequest.objects.exists()


def test_offer_accept__with_a_fee_schedule_gap__is_refused_with_the_date(world):
    req = world.request()
    offer = services.offer_make(actor=world.personas.coordinator, request=req, experts=[world.eero])[0]
    FeeSchedule.objects.filter(pk=world.schedule.pk).update(valid_until=dt.date(2019, 12, 31))
    with pytest.raises(services.ExpertsError, match="No fee schedule is in force"):
        services.offer_accept(actor=world.personas.expert, offer=offer)
    assert not Agreement.objects.exists()
    assert Offer.objects.get().status == Offer.Status.OFFERED


def test_fee__comes_from_the_schedule_in_force_on_the_task_date(world):
    from osallisuus.experts.models import FeeItem

    newer = services.fee_schedule_copy(
        example=world.schedule,
        organisation=world.schedule.organisation,
        valid_from=timezone.localdate() + dt.timedelta(days=5),
    )
    FeeItem.objects.filter(schedule=newer, code="event").update(amount=Decimal("150.00"))
    FeeSchedule.objects.filter(pk=world.schedule.pk).update(valid_until=timezone.localdate() + dt.timedelta(days=4))
    early = world.request(starts_in=dt.timedelta(days=2), title="Aikaisempi")
    late = world.request(starts_in=dt.timedelta(days=9), title="Myöhempi")
    a1 = services.offer_accept(
        actor=world.personas.expert,
        offer=services.offer_make(actor=world.personas.coordinator, request=early, experts=[world.eero])[0],
    )
    a2 = services.offer_accept(
        actor=world.personas.expert,
        offer=services.offer_make(actor=world.personas.coordinator, request=late, experts=[world.eero])[0],
    )
    assert (a1.fee, a2.fee) == (Decimal("100.00"), Decimal("150.00"))


def test_review__a_fee_within_the_range__is_the_agreed_fee(world):
    # The Kokoa 2018 table: talks and lectures 100–600 € per event.
    request = services.request_file(
        actor=world.personas.orderer,
        organisation=world.personas.organisations["county"],
        broker=world.personas.organisations["ngo"],
        task_type=TaskType.objects.get(code="lecture"),
        title="Luento palkkiolla",
        description="-",
        starts_at=timezone.now() + dt.timedelta(days=7),
        duration_minutes=90,
        remote=True,
        partner_worker=world.personas.partner_worker,
    )
    with pytest.raises(services.ExpertsError, match=r"between €100\.00–€600\.00"):
        services.request_review(
            actor=world.personas.coordinator,
            request=request,
            approve=True,
            fee_item_code="event",
            fee_amount=Decimal("650"),
        )
    request.refresh_from_db()
    assert request.status == TaskRequest.Status.SUBMITTED
    assert request.fee_amount is None
    services.request_review(
        actor=world.personas.coordinator,
        request=request,
        approve=True,
        fee_item_code="event",
        fee_amount=Decimal("250"),
    )
    offer = services.offer_make(actor=world.personas.coordinator, request=request, experts=[world.eero])[0]
    agreement = services.offer_accept(actor=world.personas.expert, offer=offer)
    assert agreement.fee == Decimal("250.00")
    assert "250.00" in agreement.terms


@pytest.mark.parametrize("who", ["nobody", "coordinator", "participant"])
def test_request_file__without_a_partner_of_the_own_workplace__is_refused(world, who):
    # Kaisa works at the NGO and Aino is a participant: neither is staff of the county.
    partner = None if who == "nobody" else getattr(world.personas, who)
    with pytest.raises(services.ExpertsError, match="professional partner"):
        world.request(partner_worker=partner)
    assert not TaskRequest.objects.exists()


def test_offer_accept__overlapping_an_agreed_task__is_refused(world):
    first = world.request(title="Ensimmäinen")
    second = world.request(title="Päällekkäinen", starts_at=first.starts_at + dt.timedelta(minutes=30))
    services.offer_accept(
        actor=world.personas.expert,
        offer=services.offer_make(actor=world.personas.coordinator, request=first, experts=[world.eero])[0],
    )
    with pytest.raises(services.ExpertsError, match="Eero Väisänen already has a task at that time"):
        services.offer_make(actor=world.personas.coordinator, request=second, experts=[world.eero])
    assert not Offer.objects.filter(request=second).exists()


def test_offer_accept__volunteer_mode__has_no_fee_and_no_earnings(world):
    from osallisuus.experts import earnings

    req = world.request()
    offer = services.offer_make(actor=world.personas.coordinator, request=req, experts=[world.eero])[0]
    agreement = services.offer_accept(actor=world.personas.expert, offer=offer, volunteer=True)
    assert agreement.fee == 0
    assert not agreement.fee_due
    assert earnings.monthly_earnings(expert=world.eero, year=req.starts_at.year) == {}


def _agreed(world, *, starts_in):
    req = world.request(starts_in=starts_in)
    offer = services.offer_make(actor=world.personas.coordinator, request=req, experts=[world.eero])[0]
    return services.offer_accept(actor=world.personas.expert, offer=offer)


def test_cancel__in_good_time__no_fee_is_due(world):
    agreement = _agreed(world, starts_in=dt.timedelta(days=3))
    services.agreement_cancel(actor=world.personas.orderer, agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.CANCELLED
    assert not agreement.fee_due


def test_cancel__late__keeps_the_fee_due(world):
    agreement = _agreed(world, starts_in=dt.timedelta(hours=5))
    services.agreement_cancel(actor=world.personas.orderer, agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.CANCELLED
    assert agreement.fee_due
    assert agreement.fee == Decimal("100")


def test_no_show__keeps_the_fee_due(world):
    agreement = _agreed(world, starts_in=dt.timedelta(days=1))
    Agreement.objects.filter(pk=agreement.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    services.agreement_confirm(actor=world.personas.orderer, agreement=agreement, took_place=False)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.NO_SHOW
    assert agreement.fee_due


def test_confirm__before_the_task__is_refused(world):
    agreement = _agreed(world, starts_in=dt.timedelta(days=2))
    with pytest.raises(services.ExpertsError):
        services.agreement_confirm(actor=world.personas.orderer, agreement=agreement, took_place=True)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE


def test_reschedule__moves_the_task_and_keeps_the_terms(world):
    agreement = _agreed(world, starts_in=dt.timedelta(days=2))
    new_start = timezone.now() + dt.timedelta(days=6)
    services.agreement_reschedule(actor=world.personas.coordinator, agreement=agreement, starts_at=new_start)
    agreement.refresh_from_db()
    assert agreement.starts_at == new_start
    assert agreement.fee == Decimal("100.00")


def test_reminders__are_sent_once_the_day_before_to_expert_orderer_and_partner(world):
    agreement = _agreed(world, starts_in=dt.timedelta(hours=20))
    Notification.objects.all().delete()
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert told == {world.personas.expert.pk, world.personas.orderer.pk, world.personas.partner_worker.pk}
    assert agreement.request.title in Notification.objects.first().message


def test_decline__reason_is_optional(world):
    req = world.request()
    offer = services.offer_make(actor=world.personas.coordinator, request=req, experts=[world.eero])[0]
    services.offer_decline(actor=world.personas.expert, offer=offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DECLINED
    assert offer.decline_reason == ""


def test_cancel__by_the_expert_in_time__opens_the_request_again(world):
    agreement = _agreed(world, starts_in=dt.timedelta(days=3))
    services.agreement_cancel(actor=world.personas.expert, agreement=agreement, reason="")
    agreement.refresh_from_db()
    assert not agreement.fee_due
    assert TaskRequest.objects.get(pk=agreement.request_id).status == TaskRequest.Status.OPEN


def test_cancel__by_the_orderer__calls_the_request_off(world):
    agreement = _agreed(world, starts_in=dt.timedelta(days=3))
    services.agreement_cancel(actor=world.personas.orderer, agreement=agreement)
    assert TaskRequest.objects.get(pk=agreement.request_id).status == TaskRequest.Status.CANCELLED
