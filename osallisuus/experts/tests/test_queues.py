"""Work queues on the front page (issue 14 item 3): the coordinator sees new requests, offers
unanswered for 3 days and expenses to approve; the expert open offers and the coming week's
tasks; the orderer the tasks to confirm. Nothing waiting reads one calm sentence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from osallisuus.experts import services
from osallisuus.experts.models import Offer, TaskRequest

from .factories import build_world

pytestmark = pytest.mark.django_db


def _queues(client) -> dict[str, int]:
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return {q["key"]: q["count"] for q in response.context["queues"]}


def test_coordinator_queues__new_requests_and_offers_unanswered_for_three_days(personas, client, login):
    world = build_world(personas)
    services.request_file(
        actor=personas.orderer,
        organisation=personas.organisations["county"],
        broker=personas.organisations["ngo"],
        task_type=world.request().task_type,
        title="Uusi pyyntö",
        description="-",
        starts_at=timezone.now() + dt.timedelta(days=10),
        duration_minutes=60,
        remote=True,
        partner_worker=personas.partner_worker,
    )
    req = TaskRequest.objects.filter(status=TaskRequest.Status.OPEN).get()
    offer = services.offer_make(actor=personas.coordinator, request=req, experts=[world.eero])[0]
    login(personas.coordinator)
    queues = _queues(client)
    assert queues["experts.new_requests"] == 1
    assert "experts.unanswered_offers" not in queues  # offered just now
    Offer.objects.filter(pk=offer.pk).update(created_at=timezone.now() - dt.timedelta(days=3, minutes=1))
    assert _queues(client)["experts.unanswered_offers"] == 1
    body = client.get(reverse("core:home")).content.decode()
    assert reverse("experts:requests") + "?status=submitted" in body


def test_expert_and_orderer_queues__open_offer_then_the_task_to_confirm(personas, client, login):
    world = build_world(personas)
    req = world.request(starts_in=dt.timedelta(days=2))
    offer = services.offer_make(actor=personas.coordinator, request=req, experts=[world.eero])[0]
    login(personas.expert)
    assert _queues(client)["experts.open_offers"] == 1
    agreement = services.offer_accept(actor=personas.expert, offer=offer)
    queues = _queues(client)
    assert "experts.open_offers" not in queues
    assert queues["experts.next_tasks"] == 1
    home = client.get(reverse("experts:home"))
    assert home.context["next_task"] == agreement
    login(personas.orderer)
    assert "experts.to_confirm" not in _queues(client)  # it has not started yet
    type(agreement).objects.filter(pk=agreement.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert _queues(client)["experts.to_confirm"] == 1
    home = client.get(reverse("experts:home")).content.decode()
    assert reverse("experts:agreement_detail", args=[agreement.pk]) in home


def test_nothing_waiting__one_calm_sentence(personas, client, login):
    build_world(personas)
    login(personas.expert)
    response = client.get(reverse("core:home"))
    assert not [q for q in response.context["queues"] if q["key"].startswith("experts.")]
