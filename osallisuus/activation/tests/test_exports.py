"""The plan as FHIR CarePlan + Goal (validated with fhir.resources), as PDF, and the reports."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from osallisuus.activation import exports, reports, services
from osallisuus.activation.demo import build_aino
from osallisuus.activation.models import Basket, Goal

from .people import participant


@pytest.fixture
def aino_data(personas):
    return build_aino(personas.users, personas.organisations)


def test_fhir_export__validates_against_careplan_and_goal_models(personas, login, aino_data):
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.careplan import CarePlan
    from fhir.resources.R4B.goal import Goal

    response = login(personas.participant).get(
        reverse("activation:plan_fhir", kwargs={"pk": aino_data["plan_of_aino"].pk})
    )
    assert response.status_code == 200
    bundle = json.loads(response.content)
    Bundle.model_validate(bundle)
    resources = [e["resource"] for e in bundle["entry"]]
    careplans = [CarePlan.model_validate(r) for r in resources if r["resourceType"] == "CarePlan"]
    goals = [Goal.model_validate(r) for r in resources if r["resourceType"] == "Goal"]
    assert len(careplans) == 1
    assert len(goals) == 2
    assert careplans[0].intent == "plan"
    assert careplans[0].status == "active"
    assert len(careplans[0].goal) == 2
    statuses = {g.lifecycleStatus for g in goals}
    assert statuses == {"active", "proposed"}
    improving = next(g for g in goals if g.lifecycleStatus == "active")
    assert improving.achievementStatus.coding[0].code == "improving"
    assert improving.expressedBy.display == "Aino Mäkinen"


def test_fhir_export__a_wrong_resource__fails_validation(personas, aino_data):
    from pydantic import ValidationError

    goal = aino_data["goal_of_aino"]
    resource = exports.goal_resource(goal, subject={"display": "x"})
    del resource["subject"]  # required (1..1) in FHIR Goal
    resource["expressedBy"] = "Aino"  # must be a Reference
    from fhir.resources.R4B.goal import Goal

    with pytest.raises(ValidationError):
        Goal.model_validate(resource)


def test_plan_pdf__is_a_pdf(personas, login, aino_data):
    response = login(personas.participant).get(
        reverse("activation:plan_pdf", kwargs={"pk": aino_data["plan_of_aino"].pk})
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_reports__counted_by_the_readers_organisation__people_not_shown(personas, login):
    county = personas.organisations["county"]
    people = [participant(county, f"r{i}@example.test", f"R {i}") for i in range(6)]
    for i, person in enumerate(people):
        plan = services.plan_ensure(participant=person)
        services.goal_create(plan=plan, actor=person, title="Tavoite", basket="doing")
        if i < 2:
            services.goal_create(plan=plan, actor=person, title="Toinen", basket="local")
    data = reports.report(organisation_ids=[county.pk])
    elsewhere = reports.report(organisation_ids=[personas.organisations["city"].pk])
    assert data["active_plans"] == 6
    assert elsewhere["active_plans"] == 0  # another organisation's reader counts none of these plans
    local = data["goals"]["rows"][Basket.values.index("local")]
    assert local["cells"][Goal.Lifecycle.values.index("active")] is None  # 2 people
    body = login(personas.analyst).get(reverse("activation:reports")).content.decode()
    assert "<table" in body
    assert "R 1" not in body
