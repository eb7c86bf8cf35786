"""The funding API: the same services and gates as the pages, in the OpenAPI schema."""

from __future__ import annotations

import json

import pytest

from osallisuus.funding.models import Application

from .factories import COSTS, FINANCING, OUTPUTS, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def _body(**changes):
    body = {
        "plan": {
            "title": "Rajapinnan hanke",
            "aims": "Osallisuus",
            "target_group": "Nuoret",
            "activities": "Pajat",
            "schedule": "2027",
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
        },
        "outputs": OUTPUTS,
        "costs": COSTS,
        "financing": FINANCING,
    }
    body.update(changes)
    return body


def test_the_applicant_creates_and_submits_a_draft_once_with_an_idempotency_key(world, client, login):
    login(world.tiina)
    url = f"/api/v1/funding/calls/{world.call.pk}/applications"
    response = client.post(url, json.dumps(_body()), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 201, response.content
    again = client.post(url, json.dumps(_body()), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.json()["id"] == response.json()["id"]
    assert Application.objects.filter(title="Rajapinnan hanke").count() == 1
    created = response.json()
    assert created["status"] == "draft"
    assert created["total_cost"] == "60000.00"
    submit = client.post(f"/api/v1/funding/applications/{created['id']}/submit")
    assert submit.status_code == 200, submit.content
    assert submit.json()["status"] == "submitted"


def test_a_negative_amount_is_refused_with_the_field_named(world, client, login):
    login(world.tiina)
    bad = _body(costs=[{"category": "staff", "description": "Palkka", "amount": "-1"}])
    response = client.post(
        f"/api/v1/funding/calls/{world.call.pk}/applications", json.dumps(bad), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "costs-0-amount"
    assert not Application.objects.filter(title="Rajapinnan hanke").exists()


def test_another_applicants_draft_is_404_in_the_api(world, client, login, personas):
    login(personas.coordinator)
    assert client.get(f"/api/v1/funding/applications/{world.application.pk}").status_code == 404
    login(world.helena)
    assert client.get(f"/api/v1/funding/applications/{world.application.pk}").status_code == 404


def test_the_programme_shows_its_envelopes(world, client, login):
    login(world.helena)
    data = client.get(f"/api/v1/funding/programmes/{world.programme.pk}").json()
    caps = {e["share"]: e["cap"] for e in data["envelopes"]}
    assert caps == {"esf_state": "300000.00", "city": "100000.00"}


def test_the_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/funding/calls/{call_id}/applications" in paths
    assert "/api/v1/funding/applications/{application_id}/submit" in paths
