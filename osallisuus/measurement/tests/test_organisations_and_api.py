"""The organisation a person acts for (issue 9.7), and the API's refusals and paging (9.5, 10)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone, translation

from osallisuus.accounts import services as account_services
from osallisuus.measurement import services
from osallisuus.measurement.models import ExternalAssessment, Instrument, Round

from .factories import make_round


def _second_organisation(personas, person, role: str):
    """Give the person the same role in the city too; return the organisation with the larger id,
    so a rule of "the lowest id" or "the first by name" would pick the other one."""
    city = personas.organisations["city"]
    account_services.membership_grant(user=person, organisation=city, roles=(role,))
    county = personas.organisations["county"]
    return max((county, city), key=lambda o: o.pk)


def test_external_assessment__acting_for_two_organisations__is_recorded_for_the_chosen_one(personas, login):
    ville = personas.own_worker
    chosen = _second_organisation(personas, ville, "own_worker")
    client = login(ville)
    page = client.get("/measurement/external/")
    assert 'name="organisation"' in page.content.decode()
    data = {
        "person": personas.participant.pk,
        "instrument": Instrument.objects.get(code="kykyviisari").pk,
        "done_on": timezone.localdate().isoformat(),
        "result_location": "Asiakassuunnitelma",
    }
    refused = client.post("/measurement/external/", data)
    assert refused.status_code == 400
    assert not ExternalAssessment.objects.exists()
    saved = client.post("/measurement/external/", {**data, "organisation": chosen.pk})
    assert saved.status_code == 302
    assert ExternalAssessment.objects.get().organisation_id == chosen.pk


def test_external_assessment__one_organisation__asks_nothing(personas, login):
    page = login(personas.own_worker).get("/measurement/external/")
    assert 'name="organisation"' not in page.content.decode()


def test_round_create__acting_for_two_organisations__creates_it_for_the_chosen_one(personas, login):
    ville = personas.own_worker
    chosen = _second_organisation(personas, ville, "own_worker")
    today = timezone.localdate()
    data = {
        "instrument": Instrument.objects.get(code="plan-checkin").pk,
        "name": "Kevät",
        "group_kind": "cohort",
        "group_key": "kevat",
        "phase": 0,
        "purpose": "Jotta näemme, miten ryhmä voi.",
        "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=10)).isoformat(),
        "retention_until": (today + dt.timedelta(days=400)).isoformat(),
        "retention_action": "anonymise",
        "min_cell_size": 5,
    }
    client = login(ville)
    assert client.post("/measurement/rounds/new/", data).status_code == 400
    assert not Round.objects.exists()
    assert client.post("/measurement/rounds/new/", {**data, "organisation": chosen.pk}).status_code == 302
    assert Round.objects.get().organisation_id == chosen.pk


def test_round_create__smallest_group_under_the_floor__is_refused_beside_its_field(personas, login):
    today = timezone.localdate()
    page = login(personas.own_worker).post(
        "/measurement/rounds/new/",
        {
            "instrument": Instrument.objects.get(code="plan-checkin").pk,
            "name": "Pieni",
            "group_kind": "cohort",
            "group_key": "pieni",
            "phase": 0,
            "purpose": "Kokeilu.",
            "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=10)).isoformat(),
            "retention_until": (today + dt.timedelta(days=400)).isoformat(),
            "retention_action": "anonymise",
            "min_cell_size": 3,
        },
    )
    assert page.status_code == 400
    assert "give at least 5" in page.content.decode()
    assert 'value="Pieni"' in page.content.decode()
    assert not Round.objects.exists()


def test_breakdown__acting_for_two_organisations__reports_only_the_chosen_one(personas, login):
    anna = personas.analyst
    chosen = _second_organisation(personas, anna, "analyst")
    other = next(o for o in (personas.organisations["county"], personas.organisations["city"]) if o != chosen)
    instrument = Instrument.objects.get(code="plan-checkin")
    people = []
    for i in range(12):
        user = account_services.user_create(email=f"b{i}@example.invalid", full_name=f"B {i}")
        people.append(user)
    for i, person in enumerate(people):
        response = services.response_start(
            instrument_code="plan-checkin",
            respondent=person,
            context_module="activation",
            organisation=chosen if i < 5 else other,
        )
        services.response_save(response=response, values={"goals": 4, "support": 4, "activities": 4, "stuck": 2})
        services.response_submit(response=response)
    client = login(anna)
    url = f"/measurement/reports/breakdown/?instrument={instrument.pk}&dimension=module"
    refused = client.get(url)
    assert refused.status_code == 400
    assert "Choose the organisation" in refused.content.decode()
    page = client.get(f"{url}&organisation={chosen.pk}&export=csv").content.decode("utf-8-sig")
    assert "All;5;" in page


def test_api_round_report__no_right__refuses_in_the_users_language(personas):
    round_ = make_round(organisation=personas.organisations["county"])
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    client.force_login(personas.participant, backend="django.contrib.auth.backends.ModelBackend")
    answer = client.get(f"/api/v1/measurement/rounds/{round_.pk}/report")
    with translation.override("fi"):
        expected = translation.gettext("You do not have the right to see reports.")
    assert answer.status_code == 403
    assert answer.json()["detail"] == expected
    assert expected != "You do not have the right to see reports."


def test_api_round_report__someone_elses_and_missing__the_same_404(personas, login):
    round_ = make_round(organisation=personas.organisations["county"])
    client = login(personas.coordinator)  # reports of the NGO, not of the county
    other = client.get(f"/api/v1/measurement/rounds/{round_.pk}/report")
    missing = client.get(f"/api/v1/measurement/rounds/{round_.pk + 1000}/report")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()


def test_api_instruments__limit__is_clamped(personas, login):
    client = login(personas.participant)
    assert len(client.get("/api/v1/measurement/instruments?limit=1").json()) == 1
    everything = client.get("/api/v1/measurement/instruments?limit=100000")
    assert everything.status_code == 200
    assert len(everything.json()) == Instrument.objects.count()
    assert client.get("/api/v1/measurement/instruments?limit=x").status_code == 422
