"""The organisation a person acts for (issue 9.7): one fits → that one; several → the person
chooses on the page and names ``organisation_id`` in the API; a wrong or missing choice is a
clear refusal about the field ``organisation`` and saves nothing. Roles are data: the plan's
organisation is found by the permission, never by a role code."""

from __future__ import annotations

import pytest
from django.urls import reverse

from osallisuus.accounts import services as account_services
from osallisuus.accounts.api_auth import token_issue
from osallisuus.accounts.models import Organisation, Permission, Role
from osallisuus.activation import services
from osallisuus.activation.models import Activity, Plan

from .people import participant

ACTIVITY = {
    "title": "Kirjoituspaja",
    "summary": "Kirjoitetaan yhdessä.",
    "baskets": ["doing"],
    "area": "Keskusta",
    "schedule": "ke klo 13–15",
    "language": "fi",
    "cost": "free",
    "capacity": "6",
}


@pytest.fixture
def second_org(personas):
    """Riikka runs activities for Työpaja Pärske and, from now on, for a second association."""
    org = Organisation.objects.create(name="Ääniyhdistys ry", kind="ngo")
    account_services.membership_grant(user=personas.activity_provider, organisation=org, roles=("activity_provider",))
    return org


def test_new_activity_page__provider_of_two__must_choose__and_nothing_is_saved_before(personas, login, second_org):
    client = login(personas.activity_provider)
    url = reverse("activation:provider_activity_new")
    page = client.get(url).content.decode()
    assert 'name="organisation"' in page
    assert "Ääniyhdistys ry" in page
    refused = client.post(url, ACTIVITY)
    assert refused.status_code == 400
    assert "Kirjoituspaja" in refused.content.decode()  # what was typed is kept
    assert not Activity.objects.filter(title="Kirjoituspaja").exists()
    chosen = client.post(url, {**ACTIVITY, "organisation": str(second_org.pk)})
    assert chosen.status_code == 302
    assert Activity.objects.get(title="Kirjoituspaja").provider == second_org


def test_new_activity_page__provider_of_one__is_not_asked(personas, login):
    client = login(personas.activity_provider)
    url = reverse("activation:provider_activity_new")
    assert 'name="organisation"' not in client.get(url).content.decode()
    assert client.post(url, ACTIVITY).status_code == 302
    assert Activity.objects.get(title="Kirjoituspaja").provider == personas.organisations["ngo2"]


def _api(client, user):
    _token, raw = token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "fi"}


def _body(**extra):
    return {**ACTIVITY, "capacity": 6, **extra}


def test_api_new_activity__provider_of_two__names_organisation_id(personas, client, second_org):
    auth = _api(client, personas.activity_provider)
    url = "/api/v1/activation/activities"
    missing = client.post(url, _body(), content_type="application/json", **auth)
    assert missing.status_code == 400
    assert missing.json()["field"] == "organisation"
    assert missing.json()["detail"] == "Valitse organisaatio, jonka puolesta toimit."
    elsewhere = client.post(
        url, _body(organisation_id=personas.organisations["county"].pk), content_type="application/json", **auth
    )
    assert elsewhere.status_code == 400
    assert elsewhere.json()["field"] == "organisation"
    assert not Activity.objects.filter(title="Kirjoituspaja").exists()
    made = client.post(url, _body(organisation_id=second_org.pk), content_type="application/json", **auth)
    assert made.status_code == 201
    assert made.json()["provider"] == "Ääniyhdistys ry"
    assert made.json()["free_places"] == 6


def test_api_new_activity__page_and_api_agree_for_one_organisation(personas, client):
    made = client.post(
        "/api/v1/activation/activities",
        _body(),
        content_type="application/json",
        **_api(client, personas.activity_provider),
    )
    assert made.status_code == 201
    assert Activity.objects.get(pk=made.json()["id"]).provider == personas.organisations["ngo2"]


def test_api_new_activity__someone_who_runs_no_activities__gets_403(personas, client):
    refused = client.post(
        "/api/v1/activation/activities", _body(), content_type="application/json", **_api(client, personas.participant)
    )
    assert refused.status_code == 403
    assert not Activity.objects.filter(title="Kirjoituspaja").exists()


def test_adopt__provider_of_two__chooses_who_takes_the_idea_on(personas, login, second_org):
    idea = services.activity_propose(participant=personas.participant, data={**ACTIVITY, "capacity": 6})
    client = login(personas.activity_provider)
    assert f'id="adopt-org-{idea.pk}"' in client.get(reverse("activation:provider_home")).content.decode()
    client.post(reverse("activation:provider_adopt", kwargs={"pk": idea.pk}))
    idea.refresh_from_db()
    assert idea.status == Activity.Status.PROPOSED  # no choice, nothing taken on
    client.post(reverse("activation:provider_adopt", kwargs={"pk": idea.pk}), {"organisation": second_org.pk})
    idea.refresh_from_db()
    assert (idea.status, idea.provider) == (Activity.Status.PUBLISHED, second_org)


def test_my_plan__participant_of_two__chooses_who_keeps_the_plan(personas, login):
    city = personas.organisations["city"]
    person = participant(personas.organisations["county"], "kaksi@example.test", "Kaksi Kuntaa")
    account_services.membership_grant(user=person, organisation=city, roles=("participant",))
    client = login(person)
    page = client.get(reverse("activation:my_plan"))
    assert page.status_code == 200
    assert 'name="organisation"' in page.content.decode()
    assert not Plan.objects.filter(participant=person).exists()
    assert client.post(reverse("activation:my_plan"), {"organisation": "999999"}).status_code == 400
    assert not Plan.objects.filter(participant=person).exists()
    assert client.post(reverse("activation:my_plan"), {"organisation": city.pk}).status_code == 302
    assert Plan.objects.get(participant=person).organisation == city


def test_plan_ensure__finds_the_organisation_by_permission_not_by_role_code(personas):
    # given a municipality's own role "asiakas" that holds activation.have_plan
    role = Role.objects.create(code="asiakas", name_fi="Asiakas", name_sv="Klient", name_en="Client")
    role.permissions.add(Permission.objects.get(code="activation.have_plan"))
    person = account_services.user_create(email="asiakas@example.test", full_name="Asta Asiakas")
    account_services.membership_grant(user=person, organisation=personas.organisations["city"], roles=("asiakas",))
    # then her plan is kept by the city
    assert services.plan_ensure(participant=person).organisation == personas.organisations["city"]


def test_reports__reader_of_two__sees_one_organisation_at_a_time(personas, login):
    city, county = personas.organisations["city"], personas.organisations["county"]
    account_services.membership_grant(user=personas.analyst, organisation=city, roles=("analyst",))
    for i in range(6):
        services.plan_ensure(participant=participant(county, f"m{i}@example.test", f"M {i}"))
    client = login(personas.analyst)
    url = reverse("activation:reports")
    chooser = client.get(url).content.decode()
    assert 'name="organisation"' in chooser
    assert "big-figure" not in chooser  # no figures before the choice
    of_county = client.get(url, {"organisation": county.pk}).content.decode()
    of_city = client.get(url, {"organisation": city.pk}).content.decode()
    assert '<p class="big-figure">' in of_county
    assert "<strong>6</strong>" in of_county
    assert "<strong>0</strong>" in of_city
    assert client.get(url, {"organisation": personas.organisations["ngo"].pk}).status_code == 400
