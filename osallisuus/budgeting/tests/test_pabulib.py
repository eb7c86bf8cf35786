"""The Pabulib export: refused before the results are published; afterwards a file pabutools reads back
to the same instance, the same anonymous ballots and the same winners, with nothing about the voters."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import translation

from osallisuus.budgeting import services

from .factories import build_world, publish

pytestmark = pytest.mark.django_db


def test_export__refused_until_the_results_are_published(personas, client, login):
    world = build_world(personas)
    services.ballot_cast(actor=world.aino, process=world.process, choices=[world.proposals[0].pk])
    login(world.riikka)
    url = reverse("budgeting:pabulib", args=[world.process.pk])
    with translation.override("en"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "The results have not been published yet" in response.content.decode()
    world.advance("results")  # counted, not published
    assert client.get(url).status_code == 400


def test_export__read_back_by_pabutools(personas, client, login):
    from pabutools.election import Cost_Sat
    from pabutools.election.pabulib import parse_pabulib_from_string
    from pabutools.rules import greedy_utilitarian_welfare

    world = build_world(personas)
    a, b, c = (p.pk for p in world.proposals)
    services.ballot_cast(actor=world.aino, process=world.process, choices=[a, b])
    services.ballot_cast(actor=personas.participant2, process=world.process, choices=[a, c])
    code = services.codes_issue(actor=world.riikka, process=world.process, count=1)[0]
    services.ballot_cast_with_code(process=world.process, code=code, choices=[b])
    publish(world)
    login(personas.analyst)
    response = client.get(reverse("budgeting:pabulib", args=[world.process.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.pb"')
    text = response.content.decode()
    for person in (world.aino, personas.participant2, world.riikka):
        assert person.email not in text
        assert person.full_name not in text
    instance, profile = parse_pabulib_from_string(text)
    assert instance.budget_limit == Fraction(1500)
    assert instance.meta["vote_type"] == "approval"
    assert instance.meta["num_votes"] == "3"
    numbers = {p.pk: str(p.number) for p in world.proposals}
    assert {p.name: p.cost for p in instance} == {"1": 650, "2": 400, "3": 900}
    read = Counter(tuple(sorted(p.name for p in ballot)) for ballot in profile)
    cast = Counter(tuple(sorted(numbers[i] for i in choice)) for choice in ([a, b], [a, c], [b]))
    assert read == cast
    selected = {p.name for p in instance if instance.project_meta[p]["selected"] == "1"}
    assert selected == {numbers[w] for w in services.winner_ids(world.process)}
    greedy = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    assert {p.name for p in greedy} == selected
