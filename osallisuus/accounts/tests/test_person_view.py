"""The person page (and its API twin) shows each viewer only what their reason to see the person
allows: every relationship kind × every field (issue: the lähityöntekijä saw an expert's
withheld contact details and all her organisations)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from osallisuus.accounts import services
from osallisuus.accounts.models import Organisation, Relationship
from osallisuus.accounts.permissions import person_view

pytestmark = pytest.mark.django_db

FIELDS = ("name", "email", "phone", "municipality", "memberships")


@pytest.fixture
def eero(personas):
    """Eero the expert, with a phone and two organisations (the NGO and the city's network)."""
    eero = personas.expert
    eero.phone = "040 555 0101"
    eero.municipality = "Järvilahti"
    eero.save()
    return eero


def _placement(personas, eero):
    return services.relationship_start(
        worker=personas.partner_worker,
        person=eero,
        organisation=personas.organisations["county"],
        kind=Relationship.Kind.PLACEMENT_PARTNER,
        source_ref="experts.agreement:1",
    )


def _page(client, person):
    return client.get(reverse("accounts:person", args=[person.pk]))


def _shown(html: str, person) -> dict[str, bool]:
    return {
        "name": person.full_name in html,
        "email": person.email in html,
        "phone": bool(person.phone) and person.phone in html,
        "municipality": "Järvilahti" in html.split("<main", 1)[1],
        "memberships": "Kokemustoimijat Järvi-Suomi ry" in html or "Järvilahden kaupunki" in html,
    }


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        # the coordinator of Eero's own organisation: the person as a member of that organisation
        ("coordinator", {"name", "email", "phone", "municipality", "memberships"}),
        # the lähityöntekijä of one agreed task: the name only, contact through the coordinator
        ("partner_worker", {"name"}),
    ],
)
def test_person_page__each_reason_shows_only_its_fields(personas, eero, login, viewer, expected):
    if viewer == "partner_worker":
        _placement(personas, eero)
    response = _page(login(personas[viewer]), eero)
    assert response.status_code == 200
    html = response.content.decode()
    shown = {field for field, present in _shown(html, eero).items() if present}
    assert shown == expected
    view = person_view(personas[viewer], eero)
    assert {f for f in FIELDS if view.shows(f)} == expected
    if "email" not in expected:
        assert "Koordinaattorin kautta" in html


def test_person_page__the_coordinator_sees_only_the_memberships_in_her_own_organisation(personas, eero, login):
    # Eero is also a network member at the city: that is none of the NGO coordinator's business
    html = _page(login(personas.coordinator), eero).content.decode()
    assert "Kokemustoimijat Järvi-Suomi ry" in html
    assert "Järvilahden kaupunki" not in html


def test_person_page__the_own_worker_sees_his_client_in_their_organisation(personas, login):
    aino = personas.participant
    html = _page(login(personas.own_worker), aino).content.decode()
    assert aino.email in html
    assert aino.phone in html
    assert "Järvi-Suomen hyvinvointialue" in html


def test_person_page__a_placement_that_ended_shows_nothing(personas, eero, login):
    relationship = _placement(personas, eero)
    client = login(personas.partner_worker)
    assert _page(client, eero).status_code == 200
    # When the agreement ends, the relationship it made ends with it, at once
    assert services.relationships_end_for_source(source_ref=relationship.source_ref) == 1
    assert _page(client, eero).status_code == 404
    assert login(personas.partner_worker).get(f"/api/v1/people/{eero.pk}").status_code == 404


def test_person_page__a_consent_rule_registered_for_the_kind_adds_the_contact_details(personas, eero, login):
    from osallisuus.accounts import permissions

    _placement(personas, eero)
    before = permissions._RELATIONSHIP_POLICIES[Relationship.Kind.PLACEMENT_PARTNER]
    permissions.register_relationship_policy(
        Relationship.Kind.PLACEMENT_PARTNER, lambda viewer, person, rel: frozenset({"name", "email", "phone"})
    )
    try:
        html = _page(login(personas.partner_worker), eero).content.decode()
    finally:
        permissions.register_relationship_policy(Relationship.Kind.PLACEMENT_PARTNER, before)
    assert eero.email in html
    assert eero.phone in html
    assert "Kokemustoimijat Järvi-Suomi ry" not in html


@pytest.mark.parametrize("viewer", ["orderer", "network_coordinator", "analyst", "applicant", "participant"])
def test_person_page__no_reason_no_page(personas, eero, login, viewer):
    assert _page(login(personas[viewer]), eero).status_code == 404


def test_person_page__a_worker_in_another_organisation_gains_nothing_from_a_relationship_there(personas, eero, login):
    # a placement recorded in an organisation where Jussi holds no right to use it
    other = Organisation.objects.create(name="Toinen järjestö ry", kind="ngo")
    services.relationship_start(
        worker=personas.partner_worker, person=eero, organisation=other, kind=Relationship.Kind.PLACEMENT_PARTNER
    )
    assert _page(login(personas.partner_worker), eero).status_code == 404


def test_people_list__the_partner_has_no_clients_and_no_menu_entry_for_them(personas, eero, login):
    _placement(personas, eero)
    client = login(personas.partner_worker)
    assert client.get(reverse("accounts:people")).status_code == 403
    home = client.get(reverse("core:home")).content.decode()
    assert "Asiakkaani" not in home


def test_people_list__the_own_worker_sees_his_client_under_my_clients(personas, login):
    client = login(personas.own_worker)
    page = client.get(reverse("accounts:people")).content.decode()
    assert personas.participant.full_name in page
    assert "Asiakkaani" in client.get(reverse("core:home")).content.decode()


def test_api_person__gives_the_same_fields_as_the_page(personas, eero, login):
    _placement(personas, eero)
    data = login(personas.partner_worker).get(f"/api/v1/people/{eero.pk}").json()
    assert data["full_name"] == eero.full_name
    assert data["email"] is None
    assert data["phone"] is None
    assert data["memberships"] is None
    coordinator = login(personas.coordinator).get(f"/api/v1/people/{eero.pk}").json()
    assert coordinator["email"] == eero.email
    assert [m["organisation"] for m in coordinator["memberships"]] == ["Kokemustoimijat Järvi-Suomi ry"]
