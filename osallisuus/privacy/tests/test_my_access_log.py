"""'Who has seen my data' (client data act 703/2023): the page and its API twin."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from osallisuus.core.access import Action, log_access
from osallisuus.core.models import AccessLogEntry

URL = "/privacy/who-has-seen-my-data/"
API = "/api/v1/privacy/who-has-seen-my-data"


def _read(actor, subject, purpose="client meeting", action=Action.VIEW):
    return log_access(actor=actor, subject_id=subject.pk, obj=subject, action=action, purpose=purpose)


def test_my_access_log__shows_reads_by_others__not_own_reads_nor_other_peoples(personas, login):
    aino, ville, jari = personas.participant, personas.own_worker, personas.participant2
    _read(ville, aino, purpose="client meeting")
    _read(aino, aino, purpose="own look")
    _read(ville, jari, purpose="jari meeting")

    response = login(aino).get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ville Häkkinen" in html
    assert "client meeting" in html
    assert "own look" not in html
    assert "jari meeting" not in html
    assert list(response.context["page"].object_list) == list(AccessLogEntry.objects.filter(purpose="client meeting"))


def test_my_access_log__opening_it__writes_no_entry(personas, login):
    _read(personas.own_worker, personas.participant)
    before = AccessLogEntry.objects.count()

    login(personas.participant).get(URL)

    assert AccessLogEntry.objects.count() == before


def test_my_access_log__period_filter__hides_older_entries(personas, login):
    aino, ville = personas.participant, personas.own_worker
    with time_machine.travel(timezone.now() - dt.timedelta(days=60)):
        _read(ville, aino, purpose="old meeting")
    _read(ville, aino, purpose="recent meeting")
    client = login(aino)

    last_30 = client.get(URL, {"period": "30"}).content.decode()
    everything = client.get(URL, {"period": "all"}).content.decode()

    assert "recent meeting" in last_30
    assert "old meeting" not in last_30
    assert "recent meeting" in everything
    assert "old meeting" in everything


def test_my_access_log__unknown_period__gives_400_with_a_message(personas, login):
    _read(personas.own_worker, personas.participant)

    response = login(personas.participant).get(URL, {"period": "forever"})

    assert response.status_code == 400
    assert response.context["form"].errors["period"]
    assert response.context["page"] is None


def test_my_access_log__is_paginated(personas, login):
    aino, ville = personas.participant, personas.own_worker
    for n in range(30):
        _read(ville, aino, purpose=f"meeting {n}")
    client = login(aino)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert "?page=2" in first.content.decode()


def test_my_access_log__htmx_request__gets_only_the_results_fragment(personas, login):
    _read(personas.own_worker, personas.participant, purpose="client meeting")

    response = login(personas.participant).get(URL, {"period": "30"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="access-log-results"' in html
    assert "client meeting" in html
    assert "<html" not in html
    assert "<h1" not in html


def test_my_access_log__anonymous__is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_my_access_log_api__same_rules_as_the_page(personas, login):
    aino, ville, jari = personas.participant, personas.own_worker, personas.participant2
    _read(ville, aino, purpose="client meeting")
    _read(aino, aino, purpose="own look")
    _read(ville, jari, purpose="jari meeting")

    response = login(aino).get(API)

    assert response.status_code == 200
    assert [row["purpose"] for row in response.json()] == ["client meeting"]


def test_my_access_log_api__period_filter(personas, login):
    aino, ville = personas.participant, personas.own_worker
    with time_machine.travel(timezone.now() - dt.timedelta(days=60)):
        _read(ville, aino, purpose="old meeting")
    _read(ville, aino, purpose="recent meeting")

    response = login(aino).get(API, {"period": "30"})

    assert [row["purpose"] for row in response.json()] == ["recent meeting"]


def test_my_access_log_api__unknown_period__is_refused(personas, login):
    response = login(personas.participant).get(API, {"period": "forever"})

    assert response.status_code == 422
