"""The staff's pages issue the same number of queries with 10 and with 200 voters and ballots."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from osallisuus.accounts.models import User
from osallisuus.budgeting.models import Ballot, BallotChoice, EligibleVoter, Participation, Process

from .factories import build_world, publish

pytestmark = pytest.mark.django_db
_serial = itertools.count()


def _voters(world, n):
    people = User.objects.bulk_create(
        User(email=f"v{next(_serial)}@example.fi", full_name=f"Äänestäjä {i:04d}", password="!") for i in range(n)
    )
    EligibleVoter.objects.bulk_create(EligibleVoter(process=world.process, person=u) for u in people)
    Participation.objects.bulk_create(Participation(process=world.process, voter=u, method="online") for u in people)
    ballots = Ballot.objects.bulk_create(Ballot(process=world.process) for _ in people)
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=b, proposal=world.proposals[i % 3]) for i, b in enumerate(ballots)
    )


def _sql(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("page", ["budgeting:process", "budgeting:voters", "budgeting:results"])
def test_staff_pages__same_queries_with_10_and_200_voters(personas, client, login, page):
    worlds = {}
    for n in (10, 200):
        world = build_world(personas, name=f"Koko {n}", electorate=Process.Electorate.LIST)
        _voters(world, n)
        publish(world)
        worlds[n] = world
    login(personas.activity_provider)
    _sql(client, reverse(page, args=[worlds[10].process.pk]))  # warm up
    small = _sql(client, reverse(page, args=[worlds[10].process.pk]))
    large = _sql(client, reverse(page, args=[worlds[200].process.pk]))
    assert len(small) == len(large), "\n".join(q for q in large if q not in small) or "\n".join(small)
