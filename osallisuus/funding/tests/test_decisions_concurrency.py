"""The envelope cap under concurrency on PostgreSQL: 20 officers deciding at once against one
envelope never take it over its cap, and the decisions made add up to what the envelope counts as
decided (the envelope row is locked while a decision is written)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone, translation

from osallisuus.funding import services
from osallisuus.funding.models import Decision, Envelope

from .factories import build_world, submitted

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.usefixtures("migrated_data"),
]

PARALLEL = 20
AMOUNT = Decimal("17000.00")  # 20 × 17 000 = 340 000 > 300 000: exactly 17 fit


def _run_parallel(calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        close_old_connections()
        try:
            barrier.wait()
            with translation.override("en"):
                results[i] = ("ok", call())
        except services.FundingError as exc:
            results[i] = ("refused", exc.code)
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


def test_twenty_parallel_decisions_never_take_the_envelope_over_its_cap(personas):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    world = build_world(personas)
    apps = [submitted(world, title=f"Hanke {i}") for i in range(PARALLEL)]
    calls = [
        lambda app=app: services.decision_make(
            actor=world.helena,
            application=app,
            outcome="granted",
            number=f"ELY/{app.pk}",
            decided_on=timezone.localdate(),
            amount=AMOUNT,
        )
        for app in apps
    ]
    results = _run_parallel(calls)
    assert not [r for r in results if r[0] == "error"], results
    made = [r for r in results if r[0] == "ok"]
    refused = [r for r in results if r[0] == "refused"]
    assert len(made) == 17
    assert {r[1] for r in refused} == {"over_envelope"}
    envelope = Envelope.objects.get(pk=world.ely_envelope.pk)
    total = sum(d.amount for d in Decision.objects.filter(envelope=envelope))
    assert envelope.decided == total == AMOUNT * 17
    assert envelope.decided <= envelope.cap


def test_two_parallel_decisions_of_one_funder_on_one_application_make_one(personas):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    world = build_world(personas)
    app = submitted(world, title="Yksi")
    calls = [
        lambda n=n: services.decision_make(
            actor=world.helena,
            application=app,
            outcome="granted",
            number=f"ELY/{n}",
            decided_on=timezone.localdate(),
            amount="1000",
        )
        for n in range(5)
    ]
    results = _run_parallel(calls)
    assert sorted(r[0] for r in results) == ["ok"] + ["refused"] * 4, results
    assert Decision.objects.filter(application=app).count() == 1
    assert Envelope.objects.get(pk=world.ely_envelope.pk).decided == Decimal("1000.00")
