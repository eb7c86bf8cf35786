"""The administrators' access-log search: who may search, the filters, and that searching is logged."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from osallisuus.core.access import Action, log_access
from osallisuus.core.models import AccessLogEntry

URL = "/privacy/access-log/"
OTHER_ROLES = ["participant", "own_worker", "coordinator", "expert", "partner_worker", "analyst", "funder_officer"]


def _read(actor, subject, purpose="client meeting", action=Action.VIEW):
    return log_access(actor=actor, subject_id=subject.pk, obj=subject, action=action, purpose=purpose)


@pytest.fixture
def log(personas):
    aino, jari = personas.participant, personas.participant2
    ville, kaisa = personas.own_worker, personas.coordinator
    return {
        "ville_aino": _read(ville, aino, purpose="client meeting"),
        "kaisa_jari": _read(kaisa, jari, purpose="people list", action=Action.LIST),
    }


def _purposes(response):
    return [e.purpose for e in response.context["page"].object_list]


def test_search__by_subject_email__finds_only_their_entries(personas, login, log):
    response = login(personas.administrator).get(URL, {"subject": "aino.makinen"})

    assert response.status_code == 200
    assert _purposes(response) == ["client meeting"]


def test_search__by_actor_name_and_action(personas, login, log):
    client = login(personas.administrator)

    by_actor = client.get(URL, {"actor": "Kaisa"})
    by_action = client.get(URL, {"action": "list"})

    assert _purposes(by_actor) == ["people list"]
    assert "people list" in _purposes(by_action)
    assert "client meeting" not in _purposes(by_action)


def test_search__by_object_type_and_date_range(personas, login, log):
    with time_machine.travel(timezone.now() - dt.timedelta(days=10)):
        _read(personas.own_worker, personas.participant, purpose="older meeting")
    today = timezone.localdate()
    client = login(personas.administrator)

    recent = client.get(URL, {"object_type": "accounts.user", "date_from": today.isoformat()})
    older = client.get(URL, {"date_to": (today - dt.timedelta(days=5)).isoformat()})

    assert "older meeting" not in _purposes(recent)
    assert "client meeting" in _purposes(recent)
    assert _purposes(older) == ["older meeting"]


def test_search__logs_each_person_shown_once_as_listed(personas, login, log):
    marjatta = personas.administrator
    before = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first()

    login(marjatta).get(URL, {"subject": "aino.makinen"})

    new = list(AccessLogEntry.objects.filter(id__gt=before))
    assert {e.subject_id for e in new} == {personas.participant.pk, personas.own_worker.pk}
    assert len(new) == 2
    assert all(e.actor_id == marjatta.pk and e.action == "list" for e in new)
    assert all(e.purpose == "access log search" for e in new)


def test_search__end_date_before_start__gives_400_keeps_input_and_logs_nothing(personas, login, log):
    before = AccessLogEntry.objects.count()

    response = login(personas.administrator).get(
        URL, {"subject": "aino", "date_from": "2026-05-02", "date_to": "2026-05-01"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["date_to"]
    assert 'value="aino"' in response.content.decode()
    assert AccessLogEntry.objects.count() == before


def test_search__malformed_date__gives_400_with_a_message(personas, login, log):
    response = login(personas.administrator).get(URL, {"date_from": "yesterday"})

    assert response.status_code == 400
    assert "31.12.2026" in str(response.context["form"].errors["date_from"])


def test_search__is_paginated(personas, login):
    for n in range(55):
        _read(personas.own_worker, personas.participant, purpose=f"meeting {n}")
    client = login(personas.administrator)

    first = client.get(URL, {"subject": "aino"})
    second = client.get(URL, {"subject": "aino", "page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) >= 5


def test_search__htmx_request__gets_only_the_results_fragment(personas, login, log):
    response = login(personas.administrator).get(URL, {"subject": "aino"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert 'id="access-log-search-results"' in html
    assert "<h1" not in html


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_search__other_roles__get_403_and_nothing_is_logged(personas, login, log, role):
    before = AccessLogEntry.objects.count()

    response = login(personas[role]).get(URL, {"subject": "aino"})

    assert response.status_code == 403
    assert "client meeting" not in response.content.decode()
    assert AccessLogEntry.objects.count() == before


def test_search__anonymous__is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_navigation__administrator_sees_the_privacy_tools__others_only_my_data(personas, login):
    admin_html = login(personas.administrator).get("/privacy/my-data/").content.decode()
    aino_html = login(personas.participant).get("/privacy/my-data/").content.decode()

    for html in (admin_html, aino_html):
        assert 'href="/privacy/my-data/"' in html
    assert 'href="/privacy/access-log/"' in admin_html
    assert 'href="/privacy/requests/"' in admin_html
    assert 'href="/privacy/access-log/"' not in aino_html
    assert 'href="/privacy/requests/"' not in aino_html
