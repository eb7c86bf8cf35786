"""The own worker's front page starts with what waits for him: his clients' plans that changed
since he last opened them, and meeting requests that wait for a time; each links to the
caseload, which the address filters to the changed plans."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from osallisuus.accounts import services as account_services
from osallisuus.activation import services
from osallisuus.activation.models import Plan

from .people import participant


def _client(personas, email, name):
    person = participant(personas.organisations["county"], email, name)
    account_services.relationship_start(
        worker=personas.own_worker, person=person, organisation=personas.organisations["county"], kind="own_worker"
    )
    return services.plan_ensure(participant=person)


def _queues(client):
    return {q["key"]: q for q in client.get(reverse("core:home")).context["queues"]}


def test_worker_front_page__changed_plans_and_meeting_requests_wait_for_him(personas, login):
    first = _client(personas, "eka@example.test", "Eka Asiakas")
    second = _client(personas, "toka@example.test", "Toka Asiakas")
    client = login(personas.own_worker)
    # he opens both plans: nothing has changed since
    for plan in (first, second):
        assert client.get(reverse("activation:plan", args=[plan.pk])).status_code == 200
    assert "activation.plans_changed" not in _queues(client)

    # later the first client writes a goal and asks for a meeting
    Plan.objects.filter(pk=first.pk).update(updated_at=timezone.now() - dt.timedelta(days=1))
    services.goal_create(plan=first, actor=first.participant, title="Oma tavoite", basket="doing")
    services.meeting_request(plan=first, actor=first.participant, with_whom="own_worker", topic="Jutellaan")

    queues = _queues(client)
    assert queues["activation.plans_changed"]["count"] == 1
    label = queues["activation.plans_changed"]["label"]
    assert label == "1 asiakkaasi suunnitelma on muuttunut edellisen käyntisi jälkeen"
    assert queues["activation.meeting_requests"]["count"] == 1
    listed = client.get(queues["activation.plans_changed"]["url"])
    assert [r.plan for r in listed.context["rows"]] == [first]
    assert 'id="caseload-changed" name="changed" value="1" checked' in listed.content.decode()

    # he opens the changed plan: it waits no more; the meeting request waits until a time is agreed
    client.get(reverse("activation:plan", args=[first.pk]))
    queues = _queues(client)
    assert "activation.plans_changed" not in queues
    assert queues["activation.meeting_requests"]["count"] == 1


def test_worker_front_page__another_workers_clients_are_not_counted(personas, login):
    _client(personas, "eka@example.test", "Eka Asiakas")
    other = participant(personas.organisations["county"], "muu@example.test", "Muu Asiakas")
    plan = services.plan_ensure(participant=other)
    services.meeting_request(plan=plan, actor=other, with_whom="own_worker", topic="Hei")
    queues = _queues(login(personas.own_worker))
    assert queues["activation.plans_changed"]["count"] == 1  # his own new client, never opened
    assert "activation.meeting_requests" not in queues
