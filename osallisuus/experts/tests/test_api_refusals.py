"""The API answers every refusal through the foundation's handler, in the caller's language:
400 with the field for a wrong input, 403 where the caller may not act, the same 404 for what
is missing and what is not theirs (issue 10, item 5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override

from osallisuus.experts import services
from osallisuus.experts.models import Offer, TaskRequest

from .factories import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def fi(text: str) -> str:
    with override("fi"):
        return gettext(text)


def _post(client: Any, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="fi")


def _request(world: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "broker_id": world.personas.organisations["ngo"].pk,
        "task_type": "lecture",
        "title": "Luento",
        "description": "Kokemuspuheenvuoro.",
        "starts_at": (timezone.now() + dt.timedelta(days=10)).isoformat(),
        "duration_minutes": 90,
        "remote": True,
        "partner_worker_id": world.personas.partner_worker.pk,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"task_type": "juggling"}, "task_type", "Unknown task type."),
        ({"experience_area": "astrology"}, "experience_area", "Unknown experience area."),
        ({"broker_id": 999_999}, "broker_id", "Unknown brokering organisation."),
        ({"partner_worker_id": None}, "partner_worker", None),
    ],
)
def test_request_file__wrong_input__is_a_400_in_finnish_naming_the_field(
    world, client, login, overrides, field, message
):
    login(world.personas.orderer)
    response = _post(client, "/api/v1/experts/requests", _request(world, **overrides))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == field
    if message:
        assert body["detail"] == fi(message)
        assert body["detail"] != message
    assert not TaskRequest.objects.exists()


def test_offer__experts_of_another_organisation__is_a_400_in_finnish(world, client, login):
    req = world.request()
    login(world.personas.coordinator)
    response = _post(client, f"/api/v1/experts/requests/{req.pk}/offers", {"expert_ids": [world.eero.pk, 999_999]})
    assert response.status_code == 400
    assert response.json() == {
        "detail": fi("Some of the experts are not experts of the brokering organisation."),
        "field": "expert_ids",
    }
    assert not Offer.objects.exists()


def test_expenses__daily_allowance_without_an_amount__is_a_400_in_finnish(world, client, login):
    p = world.personas
    offer = services.offer_make(actor=p.coordinator, request=world.request(), experts=[world.eero])[0]
    agreement = services.offer_accept(actor=p.expert, offer=offer)
    login(p.expert)
    response = _post(
        client, f"/api/v1/experts/agreements/{agreement.pk}/expenses", {"lines": [{"kind": "daily_allowance"}]}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == fi("Give the amount of the daily allowance.")


def test_offer_answer__by_someone_else__is_the_404_of_a_missing_offer(world, client, login):
    offer = services.offer_make(actor=world.personas.coordinator, request=world.request(), experts=[world.eero])[0]
    login(world.personas.expert2)
    theirs = _post(client, f"/api/v1/experts/offers/{offer.pk}/accept", {})
    missing = _post(client, "/api/v1/experts/offers/999999/accept", {})
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert Offer.objects.get().status == Offer.Status.OFFERED


def test_review__by_the_orderer__is_the_404_of_a_missing_request_and_nothing_changes(world, client, login):
    req = world.request()
    login(world.personas.orderer)
    response = _post(client, f"/api/v1/experts/requests/{req.pk}/review", {"approve": False, "note": "?"})
    assert response.status_code == 404
    req.refresh_from_db()
    assert req.status == TaskRequest.Status.OPEN
