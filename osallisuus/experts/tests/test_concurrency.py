"""Concurrency on PostgreSQL: 50 parallel acceptances of a one-place task give exactly one
agreement, the rest a clear refusal; overlapping tasks of one expert are never both agreed."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone, translation

from osallisuus.accounts.models import User
from osallisuus.accounts.services import membership_grant
from osallisuus.experts import services
from osallisuus.experts.models import Agreement, Offer

from .factories import build_world, make_expert

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture
def personas(transactional_db, migrated_data):
    """The personas on a flushed database: a transactional test before this one may have
    emptied the tables the migrations filled (roles, permissions, code lists, and what later
    migrations changed in them), so ``migrated_data`` puts those rows back first."""
    from conftest import Personas
    from osallisuus.accounts import demo as accounts_demo
    from osallisuus.core.demo import DemoContext

    ctx = DemoContext()
    accounts_demo.load(ctx)
    return Personas(users=ctx.users, organisations=ctx.organisations)


def _run_parallel(calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        close_old_connections()
        try:
            barrier.wait()
            with translation.override("en"):
                results[i] = ("ok", call())
        except services.ExpertsError as exc:
            results[i] = ("refused", exc.message)
        except Exception as exc:  # pragma: no cover - the test fails on any other error
            results[i] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_offer_accept__fifty_parallel_acceptances__give_exactly_one_agreement(personas):
    world = build_world(personas)
    ngo = personas.organisations["ngo"]
    experts = []
    for i in range(50):
        user = User.objects.create_user(f"expert{i}@example.test", "x", full_name=f"Kokeilija {i}")
        membership_grant(user=user, organisation=ngo, roles=["expert"])
        experts.append(make_expert(user, ngo))
    req = world.request()
    offers = services.offer_make(actor=personas.coordinator, request=req, experts=experts)
    calls = [lambda o=o: services.offer_accept(actor=o.expert.user, offer=o) for o in offers]
    results = _run_parallel(calls)
    assert [r for r in results if r[0] == "error"] == []
    assert sum(1 for r in results if r[0] == "ok") == 1
    refusals = [r[1] for r in results if r[0] == "refused"]
    assert len(refusals) == 49
    assert all("Another expert already took this task" in m for m in refusals)
    assert Agreement.objects.filter(request=req).count() == 1
    assert Offer.objects.filter(request=req, status=Offer.Status.TAKEN).count() == 49


def test_offer_accept__overlapping_tasks_in_parallel__are_never_both_agreed(personas):
    world = build_world(personas)
    start = timezone.now() + dt.timedelta(days=3)
    requests = [world.request(starts_at=start + dt.timedelta(minutes=30 * i), title=f"Tehtävä {i}") for i in range(6)]
    offers = [services.offer_make(actor=personas.coordinator, request=r, experts=[world.eero])[0] for r in requests]
    results = _run_parallel([lambda o=o: services.offer_accept(actor=personas.expert, offer=o) for o in offers])
    assert [r for r in results if r[0] == "error"] == []
    agreed = list(Agreement.objects.filter(expert=world.eero).order_by("starts_at"))
    for a, b in itertools.pairwise(agreed):
        assert a.ends_at <= b.starts_at, "double-booked"
    assert all("already have a task at that time" in r[1] for r in results if r[0] == "refused")
    assert sum(a.fee for a in agreed) == Decimal("100.00") * len(agreed)
