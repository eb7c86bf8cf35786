"""Someone who orders for two organisations files a request for the one they choose, on the
page and in the API alike (``accounts.selectors.acting_organisation``; issue 9, item 7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from osallisuus.accounts import services as accounts_services
from osallisuus.experts.models import TaskRequest, TaskType

from .factories import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    """Sari orders for the county and for the city (both may order experts)."""
    world = build_world(personas)
    accounts_services.membership_grant(
        user=personas.orderer, organisation=personas.organisations["city"], roles=["orderer"]
    )
    personas.orderer.permissions.reset()
    return world


def _form(world: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "broker": world.personas.organisations["ngo"].pk,
        "task_type": TaskType.objects.get(code="lecture").pk,
        "setting": "education",
        "title": "Luento kaupungin henkilöstölle",
        "description": "Kokemuspuheenvuoro.",
        "starts_at": (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT10:00"),
        "duration_minutes": 90,
        "sessions": 1,
        "address": "Kirkkokatu 1",
        "region": "Järvi-Suomi",
        "language": "fi",
        "partner_worker": world.personas.orderer.pk,
        "places": 1,
        "compensation": "fee",
    }
    data.update(overrides)
    return data


def _json(world: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "broker_id": world.personas.organisations["ngo"].pk,
        "task_type": "lecture",
        "title": "Luento API:n kautta",
        "description": "Kokemuspuheenvuoro.",
        "starts_at": (timezone.now() + dt.timedelta(days=10)).isoformat(),
        "duration_minutes": 90,
        "remote": True,
        "partner_worker_id": world.personas.orderer.pk,
    }
    data.update(overrides)
    return data


def test_page__several_organisations__shows_a_labelled_choice(world, client, login):
    login(world.personas.orderer)
    with override("fi"):
        body = client.get(reverse("experts:request_new"), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert 'for="id_organisation"' in body
    assert "Valitse…" in body
    assert world.personas.organisations["city"].name in body
    assert world.personas.organisations["county"].name in body


def test_page__no_choice__is_refused_beside_the_field_with_the_input_kept(world, client, login):
    login(world.personas.orderer)
    response = client.post(reverse("experts:request_new"), _form(world))
    assert response.status_code == 400
    assert response.context["form"].errors["organisation"]
    assert "Luento kaupungin henkilöstölle" in response.content.decode()
    assert not TaskRequest.objects.exists()


def test_page__the_chosen_organisation__is_the_ordering_one(world, client, login):
    city = world.personas.organisations["city"]
    # the partner must be staff of the chosen organisation: Sari is an orderer there too
    login(world.personas.orderer)
    response = client.post(reverse("experts:request_new"), _form(world, organisation=city.pk))
    assert response.status_code == 302, response.context["form"].errors
    assert TaskRequest.objects.get().organisation == city


def test_page__an_organisation_that_is_not_hers__is_refused(world, client, login):
    login(world.personas.orderer)
    response = client.post(
        reverse("experts:request_new"), _form(world, organisation=world.personas.organisations["ngo2"].pk)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["organisation"]
    assert not TaskRequest.objects.exists()


def test_api__missing_organisation_id__is_a_400_naming_the_field(world, client, login):
    login(world.personas.orderer)
    response = client.post("/api/v1/experts/requests", _json(world), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "organisation_id"
    assert response.json()["detail"]
    assert not TaskRequest.objects.exists()


def test_api__an_organisation_that_is_not_hers__is_a_400_naming_the_field(world, client, login):
    login(world.personas.orderer)
    ngo2 = world.personas.organisations["ngo2"]
    response = client.post(
        "/api/v1/experts/requests", _json(world, organisation_id=ngo2.pk), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "organisation_id"
    assert not TaskRequest.objects.exists()


def test_api__the_named_organisation__is_the_ordering_one_as_on_the_page(world, client, login):
    city = world.personas.organisations["city"]
    login(world.personas.orderer)
    response = client.post(
        "/api/v1/experts/requests", _json(world, organisation_id=city.pk), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["organisation"] == city.name
    assert TaskRequest.objects.get().organisation == city


def test_one_organisation__needs_no_choice_on_the_page_or_in_the_api(personas, client, login):
    world = build_world(personas)
    login(personas.orderer)
    body = client.get(reverse("experts:request_new")).content.decode()
    assert 'id="id_organisation"' not in body
    response = client.post("/api/v1/experts/requests", _json(world), content_type="application/json")
    assert response.status_code == 201, response.content
    assert TaskRequest.objects.get().organisation == personas.organisations["county"]
