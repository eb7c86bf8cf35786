"""The lähityöntekijä (Jussi) and the expert he works beside (Eero): the agreement makes the
placement relationship and ends it; the person page shows Jussi only what Eero shares
(issue 9, item 0)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from osallisuus.accounts import services as accounts_services
from osallisuus.accounts.models import Relationship, User
from osallisuus.core.models import AccessLogEntry
from osallisuus.experts import services
from osallisuus.experts.models import Agreement, Expert
from osallisuus.experts.permissions import PLACEMENT_PARTNER, agreement_source_ref

from .factories import build_world

pytestmark = pytest.mark.django_db

EERO_PHONE = "+358 40 123 4567"
EERO_MUNICIPALITY = "Järvilahti"


@pytest.fixture
def world(personas):
    User.objects.filter(pk=personas.expert.pk).update(phone=EERO_PHONE, municipality=EERO_MUNICIPALITY)
    personas.expert.refresh_from_db()
    return build_world(personas)


def _agreed(world: Any, **fields: Any) -> Agreement:
    request = world.request(**fields)
    offer = services.offer_make(actor=world.personas.coordinator, request=request, experts=[world.eero])[0]
    return services.offer_accept(actor=world.personas.expert, offer=offer)


def _consent(expert: Expert, *, share_contact: bool, recorded: bool = True) -> None:
    Expert.objects.filter(pk=expert.pk).update(
        share_contact=share_contact, consent_recorded_at=timezone.now() if recorded else None
    )


def _person_page(client: Any, person: User) -> Any:
    with override("fi"):
        return client.get(reverse("accounts:person", args=[person.pk]), HTTP_ACCEPT_LANGUAGE="fi")


def _placements(world: Any) -> Any:
    return Relationship.objects.current().filter(
        worker=world.personas.partner_worker, person=world.personas.expert, kind=PLACEMENT_PARTNER
    )


def test_kind__is_the_accounts_placement_partner_kind():
    assert PLACEMENT_PARTNER == Relationship.Kind.PLACEMENT_PARTNER


def test_agreement__makes_the_placement_relationship_in_the_ordering_organisation(world):
    agreement = _agreed(world)
    rel = _placements(world).get()
    assert rel.organisation == world.personas.organisations["county"]
    assert rel.source_ref == agreement_source_ref(agreement) == f"experts.agreement:{agreement.pk}"


# Each field of the person page, for the lähityöntekijä: (consent to share contact, recorded) → shown.
FIELD_MATRIX = [
    # no consent at all: the name only
    ((False, False), {"name": True, "email": False, "phone": False, "municipality": False, "memberships": False}),
    # the flag without a recorded time is not consent
    ((True, False), {"name": True, "email": False, "phone": False, "municipality": False, "memberships": False}),
    # consent to other things, not contact details
    ((False, True), {"name": True, "email": False, "phone": False, "municipality": False, "memberships": False}),
    # recorded consent to share contact details: e-mail and phone, never the municipality or organisations
    ((True, True), {"name": True, "email": True, "phone": True, "municipality": False, "memberships": False}),
]


@pytest.mark.parametrize(("consent", "shown"), FIELD_MATRIX)
def test_person_page__partner_sees_only_what_the_expert_shares(world, client, login, consent, shown):
    share_contact, recorded = consent
    agreement = _agreed(world)
    _consent(world.eero, share_contact=share_contact, recorded=recorded)
    eero = world.personas.expert
    login(world.personas.partner_worker)
    before = AccessLogEntry.objects.filter(actor=world.personas.partner_worker, subject_id=eero.pk).count()

    response = _person_page(client, eero)

    assert response.status_code == 200
    body = response.content.decode()
    found = {
        "name": eero.full_name in body,
        "email": eero.email in body,
        "phone": EERO_PHONE in body,
        "municipality": EERO_MUNICIPALITY in body,
        "memberships": world.personas.organisations["ngo"].name in body,
    }
    assert found == shown
    view = response.context["view"]
    assert set(view.fields) == {name for name, yes in shown.items() if yes}
    if not shown["email"]:
        assert "Koordinaattorin kautta" in body  # "Through the coordinator", as on the agreement page
    # The read is logged once, about Eero.
    after = AccessLogEntry.objects.filter(actor=world.personas.partner_worker, subject_id=eero.pk).count()
    assert after == before + 1
    assert agreement.pk


def test_person_page__the_agreement_page_and_the_person_page_agree_on_contact_details(world, client, login):
    agreement = _agreed(world)
    _consent(world.eero, share_contact=True)
    login(world.personas.partner_worker)
    card = client.get(reverse("experts:agreement_detail", args=[agreement.pk])).context["card"]
    view = _person_page(client, world.personas.expert).context["view"]
    assert (card.email is not None) == view.shows_email
    assert (card.phone is not None) == view.shows_phone


@pytest.mark.parametrize("ending", ["done", "no_show", "cancelled"])
def test_person_page__after_the_agreement_ends__is_the_404_of_a_missing_person(world, client, login, ending):
    p = world.personas
    agreement = _agreed(world)
    _consent(world.eero, share_contact=True)
    login(p.partner_worker)
    assert _person_page(client, p.expert).status_code == 200

    if ending == "cancelled":
        services.agreement_cancel(actor=p.orderer, agreement=agreement, reason="Peruttu")
    else:
        Agreement.objects.filter(pk=agreement.pk).update(
            starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=timezone.now() - dt.timedelta(hours=1)
        )
        services.agreement_confirm(actor=p.orderer, agreement=agreement, took_place=ending == "done")

    assert not _placements(world).exists()
    gone = _person_page(client, p.expert)
    missing = client.get(reverse("accounts:person", args=[999_999]))
    assert gone.status_code == missing.status_code == 404
    assert EERO_PHONE not in gone.content.decode()


def test_person_page__another_agreement_still_running__keeps_the_page_open(world, client, login):
    p = world.personas
    first = _agreed(world)
    _agreed(world, title="Toinen luento", starts_in=dt.timedelta(days=14))
    services.agreement_cancel(actor=p.orderer, agreement=first)
    login(p.partner_worker)
    assert _person_page(client, p.expert).status_code == 200


def test_partner_changed__the_former_partner_loses_the_page_and_the_new_one_gets_it(world, client, login):
    p = world.personas
    agreement = _agreed(world)
    new_partner = User.objects.create_user("liisa.lahi@example.test", "x", full_name="Liisa Lähi")
    county = p.organisations["county"]
    accounts_services.membership_grant(user=new_partner, organisation=county, roles=["partner_worker"])
    login(p.orderer)
    response = client.post(
        reverse("experts:request_partner", args=[agreement.request_id]), {"partner_worker": new_partner.pk}
    )
    assert response.status_code == 302

    login(p.partner_worker)
    assert _person_page(client, p.expert).status_code == 404
    assert (
        Relationship.objects.current()
        .filter(worker=new_partner, person=p.expert, source_ref=agreement_source_ref(agreement))
        .exists()
    )


def test_partner_change__by_someone_else_than_the_orderer__is_refused_and_nothing_changes(world, client, login):
    p = world.personas
    agreement = _agreed(world)
    login(p.coordinator)
    response = client.post(
        f"/api/v1/experts/requests/{agreement.request_id}/partner",
        {"partner_worker_id": p.orderer.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    assert _placements(world).count() == 1


def test_partner_menu__does_not_file_the_expert_under_my_clients(world, client, login):
    _agreed(world)
    login(world.personas.partner_worker)
    with override("fi"):
        front = client.get("/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
        people = client.get(reverse("accounts:people"), HTTP_ACCEPT_LANGUAGE="fi")
    assert "Asiakkaani" not in front
    assert "My clients" not in front
    # and the people list (the "My clients" of an own worker) does not list Eero
    assert people.status_code == 403 or world.personas.expert.full_name not in people.content.decode()
