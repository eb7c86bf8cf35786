"""Concurrency on PostgreSQL: 50 parallel votes of one voter leave exactly one ballot (the process row is
locked while a ballot is written); 50 parallel uses of one voting code cast exactly one ballot."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import translation

from osallisuus.budgeting import services
from osallisuus.budgeting.models import Ballot, BallotChoice, Participation

from .factories import build_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.usefixtures("migrated_data"),
]

PARALLEL = 50


def _run_parallel(calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        close_old_connections()
        try:
            barrier.wait()
            with translation.override("en"):
                results[i] = ("ok", call())
        except services.BudgetingError as exc:
            results[i] = ("refused", exc.message)
        except Exception as exc:  # the test fails on any other error
            results[i] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_ballot__fifty_parallel_votes_of_one_voter__leave_exactly_one_ballot(personas):
    world = build_world(personas)
    ids = [p.pk for p in world.proposals]
    choices = [[ids[i % 3]] for i in range(PARALLEL)]
    results = _run_parallel(
        [lambda c=c: services.ballot_cast(actor=world.aino, process=world.process, choices=c) for c in choices]
    )
    assert [r[0] for r in results] == ["ok"] * PARALLEL, [r for r in results if r[0] != "ok"][:3]
    assert Ballot.objects.filter(process=world.process).count() == 1
    assert Participation.objects.filter(process=world.process, voter=world.aino).count() == 1
    assert BallotChoice.objects.filter(ballot__process=world.process).count() == 1  # the last one wins whole


def test_code__fifty_parallel_uses_of_one_code__cast_exactly_one_ballot(personas):
    world = build_world(personas)
    code = services.codes_issue(actor=world.riikka, process=world.process, count=1)[0]
    ids = [p.pk for p in world.proposals]
    results = _run_parallel(
        [
            lambda: services.ballot_cast_with_code(process=world.process, code=code, choices=ids[:1])
            for _ in range(PARALLEL)
        ]
    )
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["ok"] + ["refused"] * (PARALLEL - 1), [r for r in results if r[0] == "error"][:3]
    assert {r[1] for r in results if r[0] == "refused"} == {"This code has already been used. Each code votes once."}
    assert Ballot.objects.filter(process=world.process).count() == 1
    assert Participation.objects.filter(process=world.process).count() == 1
