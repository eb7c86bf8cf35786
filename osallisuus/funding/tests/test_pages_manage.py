"""The unit that runs the programme: envelopes (a cap never below what is decided), frame documents,
info events and calls that open and close in Finnish time with weights adding up to 100 %."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from osallisuus.funding.models import Call

from .factories import build_world, decided

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas, application=False)


def test_a_call_is_created_in_finnish_time(world, client, login):
    login(world.pekka)
    url = reverse("funding:call_add", args=[world.programme.pk])
    data = {
        "call-name": "Syksyn 2027 haku",
        "call-opens_day": "2027-08-01",
        "call-opens_time": "08:00",
        "call-closes_day": "2027-09-15",
        "call-closes_time": "16:00",
        "call-year": "2027",
        "call-funders": [str(world.ely.pk), str(world.city.pk)],
        "call-criteria": "Osallisuus; 60\nToteutettavuus; 30",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "100" in response.content.decode()
    response = client.post(url, {**data, "call-criteria": "Osallisuus; 60\nToteutettavuus; 40"})
    assert response.status_code == 302
    call = Call.objects.get(name="Syksyn 2027 haku")
    assert call.closes_at.astimezone(ZoneInfo("Europe/Helsinki")).time() == dt.time(16, 0)
    assert call.funders.count() == 2
    assert [c.weight for c in call.criteria.all()] == [60, 40]


def test_a_cap_below_what_is_decided_is_refused_beside_the_cap(world, client, login):
    decided(world)
    login(world.pekka)
    url = reverse("funding:envelope_save", args=[world.programme.pk])
    data = {
        "envelope-funder": str(world.ely.pk),
        "envelope-year": "2027",
        "envelope-cap": "39 999,99",
        "envelope-source": "Muutettu myöntövaltuus",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'id="id_envelope-cap_error"' in response.content.decode()
    world.refresh()
    assert world.ely_envelope.cap == 300000
    assert client.post(url, {**data, "envelope-cap": "250 000"}).status_code == 302
    world.refresh()
    assert world.ely_envelope.cap == 250000


def test_documents_and_info_events_appear_on_the_programme_page(world, client, login):
    login(world.pekka)
    pk = world.programme.pk
    assert (
        client.post(
            reverse("funding:document_add", args=[pk]),
            {
                "document-kind": "city_strategy",
                "document-title": "Järvilahti-strategia",
                "document-dated": "2025-06-16",
            },
        ).status_code
        == 400
    )  # neither an address nor a file
    assert (
        client.post(
            reverse("funding:document_add", args=[pk]),
            {
                "document-kind": "city_strategy",
                "document-title": "Järvilahti-strategia",
                "document-dated": "2025-06-16",
                "document-url": "https://www.jarvilahti.example/strategia",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("funding:event_add", args=[pk]),
            {
                "event-title": "Infotilaisuus",
                "event-day": "2027-01-20",
                "event-starts": "15:00",
                "event-ends": "17:00",
                "event-place": "Kaupungintalo",
                "event-attendance": "34",
            },
        ).status_code
        == 302
    )
    login(world.tiina)
    page = client.get(reverse("funding:programme", args=[pk])).content.decode()
    assert "Järvilahti-strategia" in page
    assert "16.6.2025" in page
    assert "Infotilaisuus" in page
    assert client.get(reverse("funding:manage", args=[pk])).status_code == 404
